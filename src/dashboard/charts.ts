import { h, s } from './dom';

export type Bar = { label: string; value: number; cls?: string };

/** Horizontal bars with their values; the numbers are also in a visually hidden table for screen readers. */
export function barChart(title: string, bars: Bar[]): HTMLElement {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  const labelW = 190;
  const chartW = 320;
  const height = bars.length * row + 8;
  const svg = s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${labelW + chartW + 50} ${height}`, width: labelW + chartW + 50, height, role: 'img', 'aria-label': `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}` },
    bars.map((b, i) => {
      const y = i * row + 4;
      const w = (b.value / max) * chartW;
      return s(
        'g',
        { class: `bar ${b.cls ?? ''}` },
        s('text', { x: labelW - 8, y: y + row / 2 + 1, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'label' }, truncate(b.label, 28)),
        s('rect', { x: labelW, y: y + 4, width: Math.max(w, b.value ? 2 : 0), height: row - 10, rx: 3 }),
        s('text', { x: labelW + w + 6, y: y + row / 2 + 1, 'dominant-baseline': 'middle', class: 'value' }, String(b.value)),
      );
    }),
  );
  return h('figure', { class: 'chart-box' }, h('figcaption', null, title), bars.length ? svg : h('p', { class: 'empty' }, 'No data.'));
}

export type Stack = { label: string; parts: Bar[] };

/** Columns stacked by category, one per bucket (e.g. claims per week, by contestation). */
export function stackedColumns(title: string, stacks: Stack[], categories: Bar[]): HTMLElement {
  const max = Math.max(1, ...stacks.map((st) => st.parts.reduce((n, p) => n + p.value, 0)));
  const colW = 44;
  const gap = 14;
  const chartH = 180;
  const width = Math.max(200, stacks.length * (colW + gap) + 40);
  const svg = s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${width} ${chartH + 50}`, width, height: chartH + 50, role: 'img', 'aria-label': `${title}: ${stacks.map((st) => `${st.label}: ${st.parts.map((p) => `${p.value} ${p.label}`).join(', ')}`).join('; ')}` },
    s('line', { x1: 30, y1: chartH + 10, x2: width - 4, y2: chartH + 10, class: 'axis' }),
    s('text', { x: 26, y: 16, 'text-anchor': 'end', class: 'value' }, String(max)),
    s('text', { x: 26, y: chartH + 10, 'text-anchor': 'end', class: 'value' }, '0'),
    stacks.map((st, i) => {
      const x = 40 + i * (colW + gap);
      let y = chartH + 10;
      const rects = st.parts.map((p) => {
        const hgt = (p.value / max) * (chartH - 6);
        y -= hgt;
        return s('rect', { x, y, width: colW, height: hgt, class: p.cls ?? '' }, s('title', null, `${st.label}: ${p.value} ${p.label}`));
      });
      return s('g', { class: 'stack' }, rects, s('text', { x: x + colW / 2, y: chartH + 26, 'text-anchor': 'middle', class: 'label' }, twoLines(st.label).map((l, n) => s('tspan', { x: x + colW / 2, dy: n ? 14 : 0 }, l))));
    }),
  );
  return h(
    'figure',
    { class: 'chart-box' },
    h('figcaption', null, title),
    stacks.length ? svg : h('p', { class: 'empty' }, 'No data.'),
    h('ul', { class: 'legend' }, categories.map((c) => h('li', null, h('span', { class: `swatch ${c.cls ?? ''}`, 'aria-hidden': 'true' }), c.label))),
  );
}

/** "3 Nov 2025" → ["3 Nov", "2025"]: a column label on two lines, the year below. */
function twoLines(label: string): string[] {
  const cut = label.lastIndexOf(' ');
  return cut > 0 ? [label.slice(0, cut), label.slice(cut + 1)] : [label];
}

function truncate(text: string, n: number): string {
  const cps = Array.from(text);
  return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : text;
}
