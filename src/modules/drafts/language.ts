import type * as Tinyld from 'tinyld';

const SAMPLE = 4000;
/** The languages PostgreSQL can stem (migration 20261201140000_draft_check): a draft is told apart among them. */
const CANDIDATES = ['en', 'tr', 'ar', 'fr', 'es', 'de', 'it', 'pt', 'nl', 'ru', 'id', 'sv', 'da', 'no', 'fi', 'hu', 'ro', 'el'];

// The detector's tables take seconds to load: on the first draft without a language, not at start-up.
let tinyld: typeof Tinyld | undefined;

/** The draft's language (ISO 639-1) from its text; English when the text says too little to tell. */
export function detectLanguage(text: string): string {
  tinyld ??= require('tinyld') as typeof Tinyld;
  return tinyld.detect(text.slice(0, SAMPLE), { only: CANDIDATES }) || 'en';
}
