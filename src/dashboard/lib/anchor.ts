/*
 * From a text selection to an assertion's anchor (SPEC 1.4). The browser
 * reports a selection in UTF-16 indexes; the API counts Unicode code points.
 * The selection is widened to whole grapheme clusters (a flag is two code
 * points, a letter with a combining mark two or more: half of one is not a
 * quote), trimmed of surrounding white space, and given the same 32 code
 * points of context the server keeps when the passage occurs more than once.
 * Nothing is normalised: the quote is the text exactly as stored.
 */

export type TextAnchor = {
  exact: string;
  /** Offsets in code points, end exclusive. */
  start: number;
  end: number;
  /** Only when the passage occurs more than once in the text. */
  prefix?: string;
  suffix?: string;
  occurrences: number;
};

export const CONTEXT_CODE_POINTS = 32;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The number of code points in a string. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** The grapheme-cluster boundaries of a text, as UTF-16 indexes (0 and text.length included). */
function boundaries(text: string): number[] {
  const out: number[] = [];
  for (const seg of graphemes.segment(text)) out.push(seg.index);
  out.push(text.length);
  return out;
}

/** The UTF-16 index `units` code points before `at` (or 0). */
function unitsBack(text: string, at: number, count: number): number {
  let i = at;
  for (let n = 0; n < count && i > 0; n += 1) i -= i >= 2 && isLowSurrogate(text.charCodeAt(i - 1)) && isHighSurrogate(text.charCodeAt(i - 2)) ? 2 : 1;
  return i;
}

function unitsForward(text: string, at: number, count: number): number {
  let i = at;
  for (let n = 0; n < count && i < text.length; n += 1) i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  return i;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Every UTF-16 index where `passage` starts in `text` (overlapping occurrences included). */
export function occurrencesOf(text: string, passage: string): number[] {
  const out: number[] = [];
  if (!passage) return out;
  for (let at = text.indexOf(passage); at !== -1; at = text.indexOf(passage, at + 1)) out.push(at);
  return out;
}

/** Widens [from, to) (UTF-16 indexes, either order) to whole grapheme clusters and trims white space. */
export function snapSelection(text: string, from: number, to: number): { start: number; end: number } | null {
  let start = Math.max(0, Math.min(from, to, text.length));
  let end = Math.min(text.length, Math.max(from, to, 0));
  const cuts = boundaries(text);
  start = cuts.filter((b) => b <= start).pop() ?? 0;
  end = cuts.find((b) => b >= end) ?? text.length;
  while (start < end && /\s/u.test(text[start]!)) start += 1;
  while (end > start && /\s/u.test(text[end - 1]!)) end -= 1;
  return end > start ? { start, end } : null;
}

/** The anchor of the selection [from, to) of `text` (UTF-16 indexes), or null when it selects nothing but white space. */
export function anchorFromSelection(text: string, from: number, to: number): TextAnchor | null {
  const snapped = snapSelection(text, from, to);
  if (!snapped) return null;
  const exact = text.slice(snapped.start, snapped.end);
  const start = codePoints(text.slice(0, snapped.start));
  const anchor: TextAnchor = { exact, start, end: start + codePoints(exact), occurrences: occurrencesOf(text, exact).length };
  if (anchor.occurrences > 1) {
    anchor.prefix = text.slice(unitsBack(text, snapped.start, CONTEXT_CODE_POINTS), snapped.start);
    anchor.suffix = text.slice(snapped.end, unitsForward(text, snapped.end, CONTEXT_CODE_POINTS));
  }
  return anchor;
}

/** The body's `anchor` for the API: offsets, the exact words, and context only where it is needed. */
export function anchorBody(a: TextAnchor): { exact: string; start: number; end: number; prefix?: string; suffix?: string } {
  return { exact: a.exact, start: a.start, end: a.end, ...(a.prefix !== undefined && { prefix: a.prefix }), ...(a.suffix !== undefined && { suffix: a.suffix }) };
}
