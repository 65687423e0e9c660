/*
 * A radial layout for the counter-claim network: the claim at the centre,
 * the claims one relation away on the first ring, two away on the second.
 * Each ring is spread evenly; its nodes are ordered by the mean angle of
 * their neighbours on the inner ring, so branches stay together and edges
 * cross less.
 */

export type LayoutNode = { id: string; depth: number };
export type LayoutEdge = { from: string; to: string };
export type Point = { x: number; y: number; angle: number };

export function radialLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], ringGap = 170): Map<string, Point> {
  const pos = new Map<string, Point>();
  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const byDepth = new Map<number, LayoutNode[]>();
  for (const n of nodes) byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), n]);
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  for (const depth of depths) {
    const ring = [...byDepth.get(depth)!].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (depth === 0 || ring.length === 0) {
      // The root (or several, should the API ever send them) sits at the centre.
      ring.forEach((n, i) => pos.set(n.id, { x: i * 40, y: 0, angle: 0 }));
      continue;
    }
    const preferred = new Map<string, number>();
    for (const n of ring) {
      const inner = (neighbours.get(n.id) ?? []).map((id) => pos.get(id)).filter((p): p is Point => p !== undefined && p !== null);
      preferred.set(n.id, inner.length ? meanAngle(inner.map((p) => p.angle)) : 0);
    }
    const ordered = ring
      .map((n, i) => ({ n, i, a: preferred.get(n.id)! }))
      .sort((p, q) => p.a - q.a || p.i - q.i)
      .map((p) => p.n);
    const step = (2 * Math.PI) / ordered.length;
    // The first ring starts at the top, or half a step off it for an even count, so that no
    // node sits straight below the root, where the root's label is; outer rings start where
    // their first node wants to be.
    const start = depth === 1 ? -Math.PI / 2 + (ordered.length % 2 === 0 ? step / 2 : 0) : preferred.get(ordered[0]!.id)!;
    const radius = depth * ringGap;
    ordered.forEach((n, i) => {
      const angle = normalise(start + i * step);
      pos.set(n.id, { x: round(radius * Math.cos(angle)), y: round(radius * Math.sin(angle)), angle });
    });
  }
  return pos;
}

/** The smallest box around the points, grown by margin: the SVG viewBox. */
export function boundsOf(points: Iterable<Point>, margin: number): { x: number; y: number; width: number; height: number } {
  let minX = 0, minY = 0, maxX = 0, maxY = 0;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { x: minX - margin, y: minY - margin, width: maxX - minX + 2 * margin, height: maxY - minY + 2 * margin };
}

/** Splits a label into at most `maxLines` lines of at most `width` characters; a cut label ends in "…". */
export function wrapLabel(text: string, width: number, maxLines: number): string[] {
  const length = (s: string) => Array.from(s).length;
  const cut = (s: string) => `${Array.from(s).slice(0, width - 1).join('')}…`;
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (length(next) <= width || !line) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  const fitted = lines.map((l) => (length(l) > width ? cut(l) : l));
  if (fitted.length <= maxLines) return fitted;
  const kept = fitted.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = length(last) < width ? `${last}…` : cut(last);
  return kept;
}

function meanAngle(angles: number[]): number {
  const x = angles.reduce((s, a) => s + Math.cos(a), 0);
  const y = angles.reduce((s, a) => s + Math.sin(a), 0);
  return Math.atan2(y, x);
}

function normalise(a: number): number {
  const twoPi = 2 * Math.PI;
  return ((((a + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
}

const round = (n: number) => Math.round(n * 100) / 100;
