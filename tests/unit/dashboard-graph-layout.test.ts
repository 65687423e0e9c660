import { boundsOf, radialLayout, wrapLabel } from '../../src/dashboard/lib/graph-layout';

const node = (id: string, depth: number) => ({ id, depth });
const dist = (p: { x: number; y: number }) => Math.hypot(p.x, p.y);

describe('radialLayout', () => {
  test('puts the root at the centre and each depth on its own ring', () => {
    const nodes = [node('r', 0), node('a', 1), node('b', 1), node('c', 1), node('d', 2)];
    const edges = [{ from: 'a', to: 'r' }, { from: 'b', to: 'r' }, { from: 'c', to: 'r' }, { from: 'd', to: 'a' }];
    const pos = radialLayout(nodes, edges, 100);
    expect(pos.get('r')).toMatchObject({ x: 0, y: 0 });
    for (const id of ['a', 'b', 'c']) expect(dist(pos.get(id)!)).toBeCloseTo(100, 1);
    expect(dist(pos.get('d')!)).toBeCloseTo(200, 1);
  });

  test('no two nodes share a place, and the layout does not depend on input order', () => {
    const nodes = Array.from({ length: 9 }, (_, i) => node(`n${i}`, i === 0 ? 0 : i < 5 ? 1 : 2));
    const edges = nodes.slice(1).map((n, i) => ({ from: n.id, to: n.depth === 1 ? 'n0' : `n${(i % 4) + 1}` }));
    const pos = radialLayout(nodes, edges);
    const keys = new Set([...pos.values()].map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
    expect(keys.size).toBe(nodes.length);
    expect(radialLayout([...nodes].reverse(), [...edges].reverse())).toEqual(pos);
  });

  test('an outer node lands near the inner node it is linked to', () => {
    const nodes = [node('r', 0), node('a', 1), node('b', 1), node('c', 1), node('d', 1), node('x', 2)];
    const edges = ['a', 'b', 'c', 'd'].map((id) => ({ from: id, to: 'r' })).concat({ from: 'x', to: 'c' });
    const pos = radialLayout(nodes, edges, 100);
    const x = pos.get('x')!;
    const nearest = ['a', 'b', 'c', 'd'].sort((p, q) => Math.hypot(pos.get(p)!.x - x.x, pos.get(p)!.y - x.y) - Math.hypot(pos.get(q)!.x - x.x, pos.get(q)!.y - x.y))[0];
    expect(nearest).toBe('c');
  });

  test('no first-ring node sits straight below the root, where its label is drawn', () => {
    for (let n = 1; n <= 8; n++) {
      const nodes = [node('r', 0), ...Array.from({ length: n }, (_, i) => node(`c${i}`, 1))];
      const pos = radialLayout(nodes, nodes.slice(1).map((c) => ({ from: c.id, to: 'r' })), 100);
      for (const c of nodes.slice(1)) {
        const p = pos.get(c.id)!;
        expect(Math.abs(p.x) > 1 || p.y < 0).toBe(true);
      }
    }
  });

  test('boundsOf wraps every point with the margin', () => {
    const pos = radialLayout([node('r', 0), node('a', 1)], [{ from: 'a', to: 'r' }], 100);
    expect(boundsOf(pos.values(), 10)).toEqual({ x: -10, y: -110, width: 20, height: 120 });
  });
});

describe('wrapLabel', () => {
  test('wraps on words within the width', () => {
    expect(wrapLabel('Israel is regularly violating the Gaza ceasefire', 20, 3)).toEqual(['Israel is regularly', 'violating the Gaza', 'ceasefire']);
  });

  test('cuts what does not fit into the last line with an ellipsis', () => {
    const lines = wrapLabel('Hamas has not upheld its agreement to return the remaining bodies of hostages', 20, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(20);
  });

  test('cuts a single word longer than the width, counting code points', () => {
    expect(wrapLabel('𝒜𝒜𝒜𝒜𝒜𝒜', 4, 2)).toEqual(['𝒜𝒜𝒜…']);
  });
});
