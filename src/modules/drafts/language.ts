import type * as Tinyld from 'tinyld/light';

const SAMPLE = 4000;

// The detector's tables take a moment to load: on the first draft without a language, not at start-up.
let tinyld: typeof Tinyld | undefined;

/** The draft's language (ISO 639-1) from its text; English when the text says too little to tell. */
export function detectLanguage(text: string): string {
  tinyld ??= require('tinyld/light') as typeof Tinyld;
  return tinyld.detect(text.slice(0, SAMPLE)) || 'en';
}
