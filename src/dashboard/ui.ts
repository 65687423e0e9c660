import { ApiError, type Contestation, type PartyRef, type PositionSummary, type ReviewStatus } from './api';
import { bdi, h, humanize, type Child } from './dom';

/** The API's problem text, as an alert. */
export function problemBox(err: unknown): HTMLElement {
  const p =
    err instanceof ApiError ? err : new ApiError(0, 'Something went wrong in the dashboard', err instanceof Error ? err.message : String(err));
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-title' }, p.status ? `${p.title} (${p.status})` : p.title),
    p.detail && p.detail !== p.title ? h('p', null, p.detail) : null,
    p.errors.length ? h('ul', null, p.errors.map((e) => h('li', null, h('code', null, e.path), ': ', e.message))) : null,
  );
}

export const loading = (what = 'Loading…') => h('p', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), what);

export const empty = (text: string) => h('p', { class: 'empty' }, text);

export const contestationBadge = (c: Contestation) => h('span', { class: `badge badge-${c}` }, c);

export const statusBadge = (s: ReviewStatus) => h('span', { class: `badge status-${s.toLowerCase()}` }, humanize(s));

export const topicChips = (topics: string[]) => (topics.length ? h('span', { class: 'topics' }, topics.map((t) => h('span', { class: 'chip' }, t))) : null);

export function partyNames(parties: PartyRef[]): Child[] {
  return parties.flatMap((p, i) => [i ? ', ' : '', bdi(p.name)]);
}

/** "Affirmed by Türkiye · denied by Israel": who holds which position, wherever a claim is only mentioned. */
export function positionLine(p: PositionSummary, counteredBy: PartyRef[] = []): HTMLElement {
  const parts: Child[] = [];
  const add = (label: string, parties: PartyRef[], cls: string) => {
    if (!parties.length) return;
    parts.push(h('span', { class: `stance-${cls}` }, `${label} `, ...partyNames(parties)));
  };
  add('affirmed by', p.affirms, 'affirms');
  add('denied by', p.denies, 'denies');
  add('questioned by', p.questions, 'questions');
  add('retracted by', p.retracts, 'retracts');
  add('countered by', counteredBy, 'denies');
  return h('p', { class: 'position-line' }, parts.length ? parts.flatMap((x, i) => (i ? [' · ', x] : [x])) : 'no active positions');
}

export const claimLink = (id: string, statement: string, attrs: Record<string, string> = {}) =>
  h('a', { href: `#/claims/${id}`, dir: 'auto', ...attrs }, statement);

/** A button that shows a busy state while its action runs and an alert with the problem text when it fails. */
export function actionButton(label: string, run: () => Promise<void>, out: HTMLElement, attrs: Record<string, string> = {}): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    out.replaceChildren();
    try {
      await run();
    } catch (err) {
      out.replaceChildren(problemBox(err));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

export type FieldOptions = { hint?: string; /** the API's errors[].path (space-separated, several allowed) this field answers for */ path?: string };

/** A labelled form field, with a hint and a place for the API's problem about it. */
export function field(label: string, control: HTMLElement, opts: string | FieldOptions = {}): HTMLElement {
  const { hint, path } = typeof opts === 'string' ? { hint: opts, path: undefined } : opts;
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-path': path, 'data-label': label }, h('label', { for: id }, label), control, hintEl, error);
}

export function select(name: string, options: [value: string, label: string][], selected?: string, attrs: Record<string, string> = {}): HTMLSelectElement {
  const el = h('select', { name, ...attrs }, options.map(([v, l]) => h('option', { value: v }, l)));
  if (selected !== undefined) el.value = selected;
  return el;
}
