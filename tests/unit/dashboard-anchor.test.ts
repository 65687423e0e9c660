import { anchorBody, anchorFromSelection, codePoints, occurrencesOf, snapSelection } from '../../src/dashboard/lib/anchor';
import { anchorQuote } from '../../src/modules/assertions/anchor';

/** The UTF-16 range of the n-th occurrence (0-based) of `passage`, as a browser selection reports it. */
function selectionOf(text: string, passage: string, n = 0): [number, number] {
  const at = occurrencesOf(text, passage)[n];
  if (at === undefined) throw new Error(`"${passage}" not in text`);
  return [at, at + passage.length];
}

/** The anchor from the dashboard, checked by the server's own anchoring (what POST /v1/claims does). */
function roundTrip(text: string, from: number, to: number) {
  const a = anchorFromSelection(text, from, to)!;
  const stored = anchorQuote(text, a.exact, anchorBody(a));
  expect(Array.from(text).slice(stored.start, stored.end).join('')).toBe(a.exact);
  return { a, stored };
}

describe('selection → anchor (code points, grapheme-safe)', () => {
  test('Arabic: offsets in code points, the words exactly as stored', () => {
    const text = 'قال المتحدث: «إسرائيل تنتهك وقف إطلاق النار» في غزة.';
    const { a, stored } = roundTrip(text, ...selectionOf(text, 'إسرائيل تنتهك وقف إطلاق النار'));
    expect(a.exact).toBe('إسرائيل تنتهك وقف إطلاق النار');
    expect(a.start).toBe(14);
    expect(a.end).toBe(14 + codePoints('إسرائيل تنتهك وقف إطلاق النار'));
    expect(a.prefix).toBeUndefined();
    expect(stored.start).toBe(a.start);
  });

  test('after an emoji flag, offsets count code points, not UTF-16 units', () => {
    const text = '🇹🇷 Fidan: Israel is violating the ceasefire';
    const { a } = roundTrip(text, ...selectionOf(text, 'Israel'));
    expect(text.indexOf('Israel')).toBe(12); // UTF-16: the flag is four units
    expect(a.start).toBe(10); // code points: the flag is two
    expect(a.end).toBe(16);
  });

  test('a selection that cuts an emoji flag in half takes the whole flag', () => {
    const text = 'Peace 🇹🇷🇵🇰 now';
    const flagStart = text.indexOf('🇹🇷');
    // from inside the first flag (after its first regional indicator) to inside the second
    const { a } = roundTrip(text, flagStart + 2, flagStart + 6);
    expect(a.exact).toBe('🇹🇷🇵🇰');
    expect(a.start).toBe(6);
    expect(a.end).toBe(10);
  });

  test('combining marks stay with their letter', () => {
    const text = 'Cafe\u0301 talks: the mi\u0301nister said yes';
    // selecting "Cafe" without its combining acute accent takes the accent too
    const { a } = roundTrip(text, 0, 4);
    expect(a.exact).toBe('Cafe\u0301');
    expect(a.end).toBe(5);
    // a selection ending between "i" and its accent is widened past the accent
    const i = text.indexOf('mi\u0301');
    expect(anchorFromSelection(text, i, i + 2)!.exact).toBe('mi\u0301');
  });

  test('Turkish dotted İ is one code point and is not folded into I', () => {
    const text = 'İstanbul toplantısı; Istanbul meeting';
    const { a } = roundTrip(text, ...selectionOf(text, 'İstanbul'));
    expect(a).toMatchObject({ exact: 'İstanbul', start: 0, end: 8, occurrences: 1 });
    expect(a.prefix).toBeUndefined();
    const lower = 'i̇stanbul'; // i + combining dot above: two code points, one grapheme
    const t2 = `${lower} ve İzmir`;
    expect(anchorFromSelection(t2, 0, 1)!.exact).toBe('i̇'); // the dot is not left behind
  });

  test('a passage found twice carries prefix and suffix that pick the selected occurrence', () => {
    const text = 'Fidan: Israel is violating the ceasefire. Later, Fidan repeated: Israel is violating the ceasefire!';
    const passage = 'Israel is violating the ceasefire';
    const first = roundTrip(text, ...selectionOf(text, passage, 0));
    const second = roundTrip(text, ...selectionOf(text, passage, 1));
    expect(first.a.occurrences).toBe(2);
    expect(first.a.prefix).toBe('Fidan: ');
    expect(first.a.suffix?.startsWith('. Later')).toBe(true);
    expect(second.a.start).toBe(codePoints(text.slice(0, text.lastIndexOf(passage))));
    expect(second.a.suffix).toBe('!');
    expect(second.a.prefix?.endsWith('repeated: ')).toBe(true);
    // the quote alone, without offsets, is ambiguous; the context alone picks the second one
    expect(() => anchorQuote(text, passage)).toThrow(/more than once/);
    expect(anchorQuote(text, passage, { prefix: second.a.prefix, suffix: second.a.suffix }).start).toBe(second.a.start);
  });

  test('white space around a selection is trimmed, a backwards selection is the same selection', () => {
    const text = 'one  two three\n';
    expect(anchorFromSelection(text, 3, 9)).toMatchObject({ exact: 'two', start: 5, end: 8 });
    expect(anchorFromSelection(text, 9, 3)).toMatchObject({ exact: 'two', start: 5, end: 8 });
    expect(anchorFromSelection(text, 14, 15)).toBeNull();
    expect(snapSelection(text, -5, 99)).toEqual({ start: 0, end: 14 });
  });
});
