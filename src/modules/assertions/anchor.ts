import { UnprocessableError } from '../../shared/errors';

/**
 * Anchoring a quote in its source, W3C Web Annotation style: a
 * TextQuoteSelector (exact, prefix, suffix) plus a TextPositionSelector
 * (start, end). Offsets count Unicode code points, not UTF-16 units, so an
 * emoji or any astral character counts once whatever the client's language.
 * The text is compared exactly as stored: no normalisation, no trimming.
 */
export type AnchorInput = { exact?: string; prefix?: string; suffix?: string; start?: number; end?: number };
export type Anchor = { exact: string; prefix: string; suffix: string; start: number; end: number };

const CONTEXT_CODE_POINTS = 32;

/** Maps between code-point offsets and UTF-16 indexes of one text. */
class CodePointIndex {
  private readonly unitAt: number[] = [];

  constructor(readonly text: string) {
    let unit = 0;
    for (const ch of text) {
      this.unitAt.push(unit);
      unit += ch.length;
    }
    this.unitAt.push(unit);
  }

  get length(): number {
    return this.unitAt.length - 1;
  }

  toUnit(codePoint: number): number {
    return this.unitAt[codePoint]!;
  }

  /** The code-point offset of a UTF-16 index that starts a code point. */
  toCodePoint(unit: number): number {
    let lo = 0;
    let hi = this.unitAt.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.unitAt[mid]! < unit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  slice(start: number, end: number): string {
    return this.text.slice(this.toUnit(start), this.toUnit(end));
  }
}

function preview(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function withContext(index: CodePointIndex, start: number, end: number, given: AnchorInput): Anchor {
  return {
    exact: index.slice(start, end),
    prefix: given.prefix ?? index.slice(Math.max(0, start - CONTEXT_CODE_POINTS), start),
    suffix: given.suffix ?? index.slice(end, Math.min(index.length, end + CONTEXT_CODE_POINTS)),
    start,
    end,
  };
}

function checkContext(index: CodePointIndex, start: number, end: number, given: AnchorInput): void {
  const before = index.text.slice(0, index.toUnit(start));
  const after = index.text.slice(index.toUnit(end));
  if (given.prefix !== undefined && !before.endsWith(given.prefix)) {
    throw new UnprocessableError('anchor-mismatch', 'anchor.prefix does not precede the quote in the source text', [
      { path: 'anchor.prefix', message: 'does not match the text before the quote' },
    ]);
  }
  if (given.suffix !== undefined && !after.startsWith(given.suffix)) {
    throw new UnprocessableError('anchor-mismatch', 'anchor.suffix does not follow the quote in the source text', [
      { path: 'anchor.suffix', message: 'does not match the text after the quote' },
    ]);
  }
}

/**
 * Checks a quote against its source text and returns the full anchor. Given
 * offsets, the text at them must be the quote; given none, the quote is
 * searched for and must occur exactly once among the places that fit the
 * prefix and suffix.
 */
export function anchorQuote(text: string, quote: string, given: AnchorInput = {}): Anchor {
  const exact = given.exact ?? quote;
  if (exact !== quote) {
    throw new UnprocessableError('quote-anchor-mismatch', 'anchor.exact must be the quote itself', [
      { path: 'anchor.exact', message: 'differs from quote' },
    ]);
  }
  const index = new CodePointIndex(text);
  if (given.start !== undefined && given.end !== undefined) {
    if (given.end > index.length) {
      throw new UnprocessableError('anchor-out-of-range', `The source text has only ${index.length} code points`, [
        { path: 'anchor.end', message: `must be at most ${index.length}` },
      ]);
    }
    const found = index.slice(given.start, given.end);
    if (found !== exact) {
      throw new UnprocessableError(
        'anchor-mismatch',
        `The source text at ${given.start}..${given.end} is "${preview(found)}", not the quote`,
        [{ path: 'anchor', message: 'offsets do not select the quote' }],
      );
    }
    checkContext(index, given.start, given.end, given);
    return withContext(index, given.start, given.end, given);
  }
  const matches: number[] = [];
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    const start = index.toCodePoint(at);
    const end = start + [...exact].length;
    if (index.toUnit(start) !== at) continue; // would split a surrogate pair
    try {
      checkContext(index, start, end, given);
      matches.push(start);
    } catch {
      // this occurrence does not fit the prefix/suffix
    }
    if (matches.length > 1) break;
  }
  if (matches.length === 0) {
    throw new UnprocessableError('quote-not-found', 'The quote does not appear in the source text exactly as given', [
      { path: 'quote', message: 'not found in source text' },
    ]);
  }
  if (matches.length > 1) {
    throw new UnprocessableError(
      'quote-ambiguous',
      'The quote appears more than once in the source text; give anchor.prefix or anchor.suffix (or offsets) to say which',
      [{ path: 'anchor', message: 'ambiguous: several occurrences' }],
    );
  }
  const start = matches[0]!;
  return withContext(index, start, start + [...exact].length, given);
}

/** The length of a string in code points, as the API counts offsets. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}
