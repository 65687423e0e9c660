/*
 * Highlighting by code-point offsets. Anchors and search matches count
 * Unicode code points, while JavaScript strings index UTF-16 units, so the
 * text is split with Array.from before slicing (an emoji or a rare CJK
 * character is one code point but two units).
 */

export type Range = { start: number; end: number };
export type Segment<T extends Range> = { text: string; start: number; end: number; marks: T[] };

/**
 * The text cut at every range boundary: each segment lists the ranges that
 * cover it (none for plain text; several where quotes overlap). Ranges out of
 * bounds are clamped; empty or inverted ones are ignored.
 */
export function segmentText<T extends Range>(text: string, ranges: readonly T[]): Segment<T>[] {
  const cps = Array.from(text);
  const len = cps.length;
  const valid = ranges
    .map((r) => ({ r, start: clamp(r.start, len), end: clamp(r.end, len) }))
    .filter((x) => Number.isInteger(x.start) && Number.isInteger(x.end) && x.end > x.start);
  const cuts = new Set<number>([0, len]);
  for (const v of valid) {
    cuts.add(v.start);
    cuts.add(v.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment<T>[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const marks = valid.filter((v) => v.start <= start && v.end >= end).map((v) => v.r);
    const last = out[out.length - 1];
    if (last && last.marks.length === 0 && marks.length === 0) {
      last.text += cps.slice(start, end).join('');
      last.end = end;
    } else {
      out.push({ text: cps.slice(start, end).join(''), start, end, marks });
    }
  }
  return out;
}

function clamp(n: number, len: number): number {
  return Math.max(0, Math.min(len, Math.trunc(n)));
}
