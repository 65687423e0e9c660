/* Small DOM helpers: elements are built with text nodes, never from HTML strings. */

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((ev: Event) => void);
export type Attrs = Record<string, AttrValue>;

function apply(el: Element, attrs: Attrs | null | undefined) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, String(v));
  }
}

function append(el: Node, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** Bidirectional-safe text: a name or quote in any script, isolated from its surroundings. */
export const bdi = (text: string, attrs?: Attrs) => h('bdi', attrs, text);

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const INSTANT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** "3 Nov 2025" for a day, with the time (UTC) for an instant. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return 'date unknown';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return DAY.format(new Date(`${value}T00:00:00Z`));
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : INSTANT.format(d);
}

export function time(value: string | null | undefined): HTMLElement {
  return value ? h('time', { datetime: value }, formatDate(value)) : h('span', { class: 'muted' }, 'date unknown');
}

/** A date entered as a day (a publication, a statement's date), stored as its first instant (UTC): shown as the day, not "00:00 UTC". */
export const publishedOn = (value: string): HTMLElement => time(/T00:00:00(\.000)?Z$/.test(value) ? value.slice(0, 10) : value);

/** A count with its noun: "1 review", "2 reviews". */
export const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const humanize = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');
