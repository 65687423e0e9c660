/*
 * The draft as text: sentences with code-point offsets, and words folded the
 * same way on both sides of every comparison (party names, cues, negations).
 */

export type Sentence = { start: number; end: number; text: string };

/** Offsets in code points (SPEC §6), not UTF-16 units. */
function codePointOffsets(text: string): (utf16: number) => number {
  const at = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i += 1) {
    at[i] = cp;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      at[i + 1] = cp;
      i += 1;
    }
    cp += 1;
  }
  at[text.length] = cp;
  return (utf16) => at[utf16]!;
}

const LETTER = /[\p{L}\p{N}]/u;

/** The draft's sentences for its language, trimmed, those without a letter or digit left out. */
export function splitSentences(text: string, language: string): Sentence[] {
  const cp = codePointOffsets(text);
  const out: Sentence[] = [];
  const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
  for (const { segment, index } of segmenter.segment(text)) {
    // A line break ends a sentence too: headlines and list items carry no full stop.
    let offset = index;
    for (const line of segment.split(/(\n+)/)) {
      const lead = line.length - line.trimStart().length;
      const body = line.trim();
      if (body && LETTER.test(body)) out.push({ start: cp(offset + lead), end: cp(offset + lead + body.length), text: body });
      offset += line.length;
    }
  }
  return out;
}

const APOSTROPHES = /[’'`´ʼ]/gu;

/** Lowercase, no accents or Arabic vowel marks, one form of alef, yeh and teh marbuta, Turkish dotless i as i. */
export function fold(word: string): string {
  return word
    .replace(/İ/g, 'i')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .replace(/ـ/g, '')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(APOSTROPHES, "'");
}

export type Token = { word: string; forms: string[]; index: number; start: number; end: number };

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’`´ʼ][\p{L}\p{M}]+)*['’]?/gu;

/** Words (folded) with their place: index among the words, and UTF-16 offsets in the text. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = fold(m[0]);
    out.push({ word, forms: nameForms(word), index: out.length, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const ARABIC = /[\u0600-\u06ff]/u;
const CONJUNCTIONS = ['', 'و', 'ف'];
const PREPOSITIONS = ['', 'ب', 'ل', 'ك'];

/**
 * The forms a word may stand for a name in: itself; without an English
 * possessive ("israel's") or a Turkish case suffix after the apostrophe
 * ("isleri'ne", "turkiye'nin"); in Arabic, without the clitics و ف ب ل ك and
 * the article ال ("وإسرائيل", "بالقاهرة", "للولايات").
 */
export function nameForms(word: string): string[] {
  const forms = new Set([word]);
  const apostrophe = word.indexOf("'");
  if (apostrophe > 0) forms.add(word.slice(0, apostrophe));
  if (ARABIC.test(word)) {
    for (const c of CONJUNCTIONS) {
      for (const p of PREPOSITIONS) {
        const prefix = c + p;
        if (!word.startsWith(prefix) || word.length - prefix.length < 2) continue;
        const rest = word.slice(prefix.length);
        forms.add(rest);
        if (rest.startsWith('ال') && rest.length > 3) forms.add(rest.slice(2));
        if (p === 'ل' && rest.startsWith('ل') && rest.length > 2) forms.add(`ال${rest.slice(1)}`);
      }
    }
  }
  return [...forms];
}

/** Quotation marks: a quoted sentence is attributed speech (SPEC §6). */
export const QUOTE_MARKS = /["“”«»„‟‹›「」]/u;
