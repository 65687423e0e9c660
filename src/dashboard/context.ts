import type { Me } from './api';

export type ViewContext = {
  me: Me;
  /** The path parts after the view name: #/claims/<id>/graph → ['<id>', 'graph']. */
  params: string[];
  query: URLSearchParams;
  /** Goes to another hash route (adds to history). */
  go(hash: string): void;
  /** Renders the current route again. */
  refresh(): void;
};

export type View = (ctx: ViewContext) => Promise<Node>;

/** A hash route with a query: route('#/search', {q: 'x'}) → '#/search?q=x'. */
export function route(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** The values of a form's named controls, blank ones dropped. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}
