import { get, type Graph } from '../api';
import { route, type View } from '../context';
import { bdi, h, humanize, s } from '../dom';
import { boundsOf, radialLayout, wrapLabel } from '../lib/graph-layout';
import { claimLink, contestationBadge, positionLine, select } from '../ui';

const RADIUS = 16;
const EDGE_CLASS: Record<string, string> = { COUNTERS: 'counters', CONTRADICTS: 'contradicts', SUPPORTS: 'supports', QUALIFIES: 'qualifies' };

/** The counter-claim network around a claim, drawn as rings; every node is a link to its claim. */
export const graphView: View = async (ctx) => {
  const id = ctx.params[0]!;
  const depth = ctx.query.get('depth') ?? '1';
  const graph = await get<Graph>(`/v1/claims/${id}/graph`, { depth });
  const root = graph.nodes.find((n) => n.id === graph.rootId);

  const depthSelect = select('depth', [['1', '1 step'], ['2', '2 steps'], ['3', '3 steps']], depth, { id: 'graph-depth' });
  depthSelect.addEventListener('change', () => ctx.go(route(`#/claims/${id}/graph`, { depth: depthSelect.value })));

  return h(
    'section',
    { class: 'graph-view' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' › ', root ? claimLink(root.id, 'Claim') : 'Claim', ' › Graph'),
    h('h1', { tabindex: '-1' }, 'Counter-claim network'),
    root ? h('p', { class: 'lede', dir: 'auto' }, 'Around: ', claimLink(root.id, root.statement)) : null,
    h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'graph-depth' }, 'Depth'), depthSelect)),
    graph.truncated ? h('p', { class: 'hint' }, 'The network was cut short: it has more claims than the API draws at once.') : null,
    drawGraph(graph),
    legend(),
    h(
      'section',
      { 'aria-labelledby': 'nodes-h' },
      h('h2', { id: 'nodes-h' }, 'Claims in the network'),
      h(
        'ul',
        { class: 'links' },
        graph.nodes.map((n) => h('li', null, claimLink(n.id, n.statement), ' ', contestationBadge(n.contestation), positionLine(n.positions))),
      ),
      graph.edges.length
        ? h(
            'ul',
            { class: 'links edges' },
            graph.edges.map((e) => {
              const from = graph.nodes.find((n) => n.id === e.from);
              const to = graph.nodes.find((n) => n.id === e.to);
              return h('li', null, h('q', { dir: 'auto' }, from?.statement ?? e.from), ` ${humanize(e.type).toLowerCase()} `, h('q', { dir: 'auto' }, to?.statement ?? e.to), e.party ? [' — put forward by ', bdi(e.party.name)] : ' — editorial link');
            }),
          )
        : null,
    ),
  );
};

export function drawGraph(graph: Graph): SVGSVGElement {
  const pos = radialLayout(graph.nodes, graph.edges);
  // At least a laptop screen's worth, so that a small network is not blown up to giant letters.
  const fit = boundsOf(pos.values(), 130);
  const width = Math.max(fit.width, 960);
  const height = Math.max(fit.height, 340);
  const box = { x: fit.x - (width - fit.width) / 2, y: fit.y - (height - fit.height) / 2, width, height };
  const svg = s('svg', {
    class: 'graph',
    viewBox: `${box.x} ${box.y} ${box.width} ${box.height}`,
    role: 'group',
    'aria-label': `Network of ${graph.nodes.length} claims and ${graph.edges.length} relations`,
    'data-testid': 'graph',
  });
  const defs = s('defs');
  for (const cls of Object.values(EDGE_CLASS)) {
    defs.append(s('marker', { id: `arrow-${cls}`, viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse', class: `arrow ${cls}` }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z' })));
  }
  svg.append(defs);
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const cls = EDGE_CLASS[e.type] ?? 'counters';
    svg.append(
      s(
        'g',
        { class: `edge ${cls}` },
        s('line', { x1: a.x + ux * RADIUS, y1: a.y + uy * RADIUS, x2: b.x - ux * (RADIUS + 2), y2: b.y - uy * (RADIUS + 2), 'marker-end': `url(#arrow-${cls})` }),
        s('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label' }, `${e.type.toLowerCase()}${e.party ? ` (${e.party.name})` : ''}`),
      ),
    );
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const lines = wrapLabel(n.statement, 26, 3);
    const below = p.y >= 0 || n.depth === 0;
    const firstY = below ? p.y + RADIUS + 16 : p.y - RADIUS - 8 - (lines.length - 1) * 15;
    svg.append(
      s(
        'a',
        { href: `#/claims/${n.id}`, class: `node ${n.contestation}${n.id === graph.rootId ? ' root' : ''}`, 'aria-label': n.statement, 'data-claim': n.id },
        s('title', null, n.statement),
        s('circle', { cx: p.x, cy: p.y, r: n.id === graph.rootId ? RADIUS + 6 : RADIUS }),
        s('text', { x: p.x, y: firstY, 'text-anchor': 'middle' }, lines.map((l, i) => s('tspan', { x: p.x, dy: i ? 15 : 0 }, l))),
      ),
    );
  }
  return svg;
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    Object.entries(EDGE_CLASS).map(([type, cls]) => h('li', null, h('span', { class: `swatch edge-${cls}`, 'aria-hidden': 'true' }), humanize(type))),
    h('li', null, h('span', { class: 'swatch node-contested', 'aria-hidden': 'true' }), 'contested claim'),
    h('li', null, h('span', { class: 'swatch node-uncontested', 'aria-hidden': 'true' }), 'uncontested claim'),
  );
}
