import { segmentText } from '../../src/dashboard/lib/highlight';
import { bucketEnd, bucketLabel } from '../../src/dashboard/lib/period';

const plain = (segs: { text: string; marks: unknown[] }[]) => segs.map((s) => (s.marks.length ? `[${s.text}]` : s.text)).join('');

describe('segmentText (code-point highlight ranges)', () => {
  test('marks a range and keeps the rest as plain text', () => {
    expect(plain(segmentText('Israel is violating the ceasefire', [{ start: 10, end: 19 }]))).toBe('Israel is [violating] the ceasefire');
  });

  test('counts code points, not UTF-16 units: an emoji or astral character is one', () => {
    const text = '👍 𝒜 حماس ceasefire';
    // code points: 👍(0) ' '(1) 𝒜(2) ' '(3) ح(4) م(5) ا(6) س(7) ' '(8) c(9)…
    const segs = segmentText(text, [{ start: 2, end: 3 }, { start: 4, end: 8 }, { start: 9, end: 18 }]);
    expect(segs.filter((s) => s.marks.length).map((s) => s.text)).toEqual(['𝒜', 'حماس', 'ceasefire']);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  test('splits overlapping ranges so each piece lists every range covering it', () => {
    const a = { start: 0, end: 6, id: 'a' };
    const b = { start: 4, end: 10, id: 'b' };
    const segs = segmentText('abcdefghijkl', [a, b]);
    expect(segs.map((s) => [s.text, s.marks.map((m) => m.id).join('')])).toEqual([
      ['abcd', 'a'],
      ['ef', 'ab'],
      ['ghij', 'b'],
      ['kl', ''],
    ]);
  });

  test('clamps ranges past the end and ignores empty or inverted ones', () => {
    const segs = segmentText('short', [{ start: 3, end: 99 }, { start: 2, end: 2 }, { start: 4, end: 1 }]);
    expect(plain(segs)).toBe('sho[rt]');
  });

  test('an empty text or no ranges give the text back whole', () => {
    expect(segmentText('', [{ start: 0, end: 3 }])).toEqual([]);
    expect(segmentText('abc', [])).toEqual([{ text: 'abc', start: 0, end: 3, marks: [] }]);
  });
});

describe('bucketEnd', () => {
  test('day, week (Monday to Sunday) and month, across month and leap-year ends', () => {
    expect(bucketEnd('2025-11-03', 'day')).toBe('2025-11-03');
    expect(bucketEnd('2025-11-24', 'week')).toBe('2025-11-30');
    expect(bucketEnd('2025-12-29', 'week')).toBe('2026-01-04');
    expect(bucketEnd('2024-02-01', 'month')).toBe('2024-02-29');
    expect(bucketEnd('2025-12-01', 'month')).toBe('2025-12-31');
  });
});

describe('bucketLabel (stats columns)', () => {
  test('names the year of every day, week and month', () => {
    expect(bucketLabel('2025-11-03', 'week')).toBe('3 Nov 2025');
    expect(bucketLabel('2026-01-01', 'day')).toBe('1 Jan 2026');
    expect(bucketLabel('2025-12-01', 'month')).toBe('Dec 2025');
  });
});
