import { anchorQuote, codePointLength } from '../../src/modules/assertions/anchor';
import { UnprocessableError } from '../../src/shared/errors';

/** Runs `fn` and returns the UnprocessableError it throws (fails the test otherwise). */
function refusal(fn: () => unknown): UnprocessableError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UnprocessableError);
    return err as UnprocessableError;
  }
  throw new Error('expected anchorQuote to refuse');
}

const cp = (s: string) => Array.from(s);
function range(text: string, quote: string, fromUnit = 0) {
  const unit = text.indexOf(quote, fromUnit);
  const start = cp(text.slice(0, unit)).length;
  return { start, end: start + cp(quote).length };
}

describe('anchorQuote', () => {
  test('locates a quote given only the quote and returns code-point offsets with context', () => {
    const text = 'Fidan said that Israel is regularly violating the ceasefire in Gaza.';
    const a = anchorQuote(text, 'Israel is regularly violating the ceasefire');
    expect(a).toEqual({
      exact: 'Israel is regularly violating the ceasefire',
      prefix: 'Fidan said that ',
      suffix: ' in Gaza.',
      start: 16,
      end: 16 + 'Israel is regularly violating the ceasefire'.length,
    });
  });

  test('counts astral characters once: offsets are code points, not UTF-16 units', () => {
    const text = '🇹🇷🇵🇰 😀 𝐅𝐢𝐝𝐚𝐧: Israel violates the truce.';
    const quote = 'Israel violates the truce';
    const a = anchorQuote(text, quote);
    expect(a.start).toBe(range(text, quote).start);
    expect(a.start).toBe(14);
    expect(text.indexOf(quote)).toBe(24);
    expect(a.end).toBe(a.start + quote.length);
    expect(cp(text).slice(a.start, a.end).join('')).toBe(quote);
  });

  test('a quote holding astral characters ends after its code points', () => {
    const text = 'x 🕊️ peace 🕊️ y';
    const a = anchorQuote(text, '🕊️ peace 🕊️');
    expect(a).toMatchObject({ start: 2, end: 2 + codePointLength('🕊️ peace 🕊️') });
    expect(codePointLength('🕊️ peace 🕊️')).toBe(11);
  });

  test('context is at most 32 code points each side, counted in code points', () => {
    const before = '😀'.repeat(40);
    const after = '🇹🇷'.repeat(20);
    const a = anchorQuote(`${before}QUOTE${after}`, 'QUOTE');
    expect(a.start).toBe(40);
    expect(a.end).toBe(45);
    expect(cp(a.prefix)).toHaveLength(32);
    expect(a.prefix).toBe('😀'.repeat(32));
    expect(cp(a.suffix)).toHaveLength(32);
  });

  test('accepts explicit offsets that select the quote and keeps the given prefix/suffix', () => {
    const text = 'İsrail ateşkesi ihlal ediyor, dedi Fidan.';
    const a = anchorQuote(text, 'ateşkesi', { start: 7, end: 15, prefix: 'İsrail ' });
    expect(a).toMatchObject({ exact: 'ateşkesi', start: 7, end: 15, prefix: 'İsrail ' });
  });

  test('refuses offsets that select other text', () => {
    const e = refusal(() => anchorQuote('The truce holds, he said.', 'truce', { start: 0, end: 5 }));
    expect(e.code).toBe('anchor-mismatch');
    expect(e.errors).toEqual([expect.objectContaining({ path: 'anchor' })]);
  });

  test('refuses offsets past the end of the text', () => {
    const e = refusal(() => anchorQuote('short', 'rt', { start: 3, end: 9 }));
    expect(e.code).toBe('anchor-out-of-range');
  });

  test('refuses UTF-16 offsets where they differ from code points', () => {
    const text = '😀 truce holds here';
    expect(() => anchorQuote(text, 'truce', { start: 3, end: 8 })).toThrow(UnprocessableError);
    expect(anchorQuote(text, 'truce', { start: 2, end: 7 }).exact).toBe('truce');
  });

  test('refuses a quote that is absent', () => {
    const e = refusal(() => anchorQuote('The truce holds.', 'the truce collapsed'));
    expect(e.code).toBe('quote-not-found');
    expect(e.errors).toEqual([{ path: 'quote', message: expect.any(String) }]);
  });

  test('refuses a quote that occurs more than once without context, including overlapping occurrences', () => {
    expect(refusal(() => anchorQuote('holds and holds', 'holds')).code).toBe('quote-ambiguous');
    expect(refusal(() => anchorQuote('aaa', 'aa')).code).toBe('quote-ambiguous');
  });

  test('a prefix or a suffix picks one of several occurrences', () => {
    const text = 'He said the truce holds. Later he said the truce holds again.';
    const second = range(text, 'the truce holds', 20);
    expect(anchorQuote(text, 'the truce holds', { prefix: 'Later he said ' })).toMatchObject(second);
    const first = range(text, 'the truce holds');
    expect(anchorQuote(text, 'the truce holds', { suffix: '. Later' })).toMatchObject(first);
  });

  test('a prefix that fits no occurrence is quote-not-found; a prefix that fits both is still ambiguous', () => {
    const text = 'said: yes. said: yes.';
    expect(refusal(() => anchorQuote(text, 'yes', { prefix: 'shouted: ' })).code).toBe('quote-not-found');
    expect(refusal(() => anchorQuote(text, 'yes', { prefix: 'said: ' })).code).toBe('quote-ambiguous');
  });

  test('refuses anchor.exact that differs from the quote', () => {
    const e = refusal(() => anchorQuote('The truce holds.', 'truce', { exact: 'holds' }));
    expect(e.code).toBe('quote-anchor-mismatch');
    expect(e.errors).toEqual([expect.objectContaining({ path: 'anchor.exact' })]);
  });

  test('refuses explicit offsets whose given prefix or suffix does not surround them', () => {
    const text = 'The truce holds.';
    expect(refusal(() => anchorQuote(text, 'truce', { start: 4, end: 9, prefix: 'A ' })).errors).toEqual([
      expect.objectContaining({ path: 'anchor.prefix' }),
    ]);
    expect(refusal(() => anchorQuote(text, 'truce', { start: 4, end: 9, suffix: ' broke' })).errors).toEqual([
      expect.objectContaining({ path: 'anchor.suffix' }),
    ]);
  });

  test('compares exactly: no Unicode normalisation, no case folding, no trimming', () => {
    const nfc = 'İsrail ateşkesi';
    const text = `Fidan: ${nfc}.`;
    expect(refusal(() => anchorQuote(text, nfc.normalize('NFD'))).code).toBe('quote-not-found');
    expect(refusal(() => anchorQuote(text, 'israil ateşkesi')).code).toBe('quote-not-found');
    expect(refusal(() => anchorQuote(text, ' İsrail ateşkesi  ')).code).toBe('quote-not-found');
    const nfdText = text.normalize('NFD');
    const a = anchorQuote(nfdText, nfc.normalize('NFD'));
    expect(a.start).toBe(7);
    expect(a.end).toBe(7 + codePointLength(nfc.normalize('NFD')));
    expect(a.end - a.start).toBeGreaterThan(codePointLength(nfc));
  });

  test('Arabic text anchors by code points', () => {
    const text = 'قال وزير الخارجية إن إسرائيل تنتهك وقف إطلاق النار بانتظام';
    const quote = 'وقف إطلاق النار';
    expect(anchorQuote(text, quote)).toMatchObject(range(text, quote));
  });
});

describe('codePointLength', () => {
  test('counts code points', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('🇹🇷')).toBe(2);
    expect(codePointLength('é'.normalize('NFD'))).toBe(2);
  });
});
