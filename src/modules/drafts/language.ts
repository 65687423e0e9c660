import { detect } from 'tinyld';

const SAMPLE = 4000;

/** The draft's language (ISO 639-1) from its text; English when the text says too little to tell. */
export function detectLanguage(text: string): string {
  return detect(text.slice(0, SAMPLE)) || 'en';
}
