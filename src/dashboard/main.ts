import { auditChainState, call, roleAtLeast, session, ApiError, type Me } from './api';
import type { ViewContext } from './context';
import { h } from './dom';
import { ROUTES, matchRoute } from './routes';
import { loading, problemBox } from './ui';

/* The editorial dashboard: hash routes over the public API, signed in with an API key kept in sessionStorage. */

const root = document.getElementById('app')!;
let me: Me | null = null;
let renderToken = 0;

function parseHash(): { parts: string[]; query: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs) };
}

function header(current?: string): HTMLElement {
  const navLink = (key: string, label: string) => h('a', { href: `#/${key}`, 'aria-current': current === key ? 'page' : undefined }, label);
  const entries = ROUTES.filter((r) => r.navLabel && (!r.minRole || roleAtLeast(me, r.minRole)));
  const badge = h('div', { class: 'audit-badge', 'aria-live': 'polite' });
  if (roleAtLeast(me, 'ADMIN')) void auditBadge(badge);
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'skip', href: '#main' , onclick: (ev: Event) => { ev.preventDefault(); document.getElementById('main')?.focus(); } }, 'Skip to content'),
    h('a', { class: 'brand', href: '#/queue' }, 'counterpoint'),
    h('nav', { 'aria-label': 'Main' }, entries.map((r) => navLink(r.path, r.navLabel!))),
    badge,
    h(
      'div',
      { class: 'who' },
      h('span', { 'data-testid': 'who' }, h('bdi', { class: 'who-name', title: me!.name }, me!.name), ' · ', h('span', { class: 'role' }, me!.role)),
      h('button', { type: 'button', class: 'secondary small', onclick: signOut }, 'Sign out'),
    ),
  );
}

async function auditBadge(el: HTMLElement): Promise<void> {
  el.replaceChildren(h('span', { class: 'muted' }, 'Audit…'));
  try {
    const [v, head] = await auditChainState();
    el.className = `audit-badge ${v.ok ? 'ok' : 'bad'}`;
    el.replaceChildren(
      h('a', { class: 'audit-state', 'data-testid': 'audit-state', href: '#/admin', title: `head #${head.seq} ${head.hash ?? '(empty chain)'}` }, v.ok ? '✓ Audit chain verifies' : `✗ Audit chain broken at #${v.firstBadSeq}`),
    );
  } catch (err) {
    el.className = 'audit-badge bad';
    el.replaceChildren(`Audit: ${err instanceof ApiError ? err.title : 'unavailable'}`);
  }
}

/** The way out of a dead end: back where the editor came from, or to the queue. */
function wayBack(): HTMLElement {
  return h(
    'p',
    { class: 'toolbar' },
    history.length > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, 'Go back') : null,
    h('a', { class: 'button', href: '#/queue' }, 'Go to the review queue'),
  );
}

function signOut(): void {
  session.clear();
  me = null;
  void render();
}

function signInView(message?: unknown): HTMLElement {
  const key = h('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const out = h('div', null, message ? problemBox(message) : null);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h', tabindex: '-1' }, 'counterpoint — editorial dashboard'),
    h('p', null, 'Sign in with your API key. It is kept in this tab only, and forgotten when the tab closes.'),
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), key),
    button,
    out,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    out.replaceChildren(loading('Checking the key…'));
    try {
      const answer = await call<Me>('GET', '/v1/me', undefined, {}, key.value.trim());
      session.set(key.value.trim());
      me = answer.body;
      await render();
    } catch (err) {
      out.replaceChildren(problemBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return h('main', { id: 'main', class: 'narrow' }, form);
}

async function render(): Promise<void> {
  const token = ++renderToken;
  if (!session.key()) {
    root.replaceChildren(signInView());
    document.getElementById('api-key')?.focus();
    return;
  }
  if (!me) {
    root.replaceChildren(h('main', { id: 'main' }, loading()));
    try {
      me = (await call<Me>('GET', '/v1/me')).body;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) session.clear();
      root.replaceChildren(signInView(err));
      return;
    }
  }
  const { parts, query } = parseHash();
  const matched = matchRoute(parts);
  const route = matched?.route;
  const main = h('main', { id: 'main', tabindex: '-1', 'aria-busy': 'true' }, loading());
  root.replaceChildren(header(route?.nav), main);
  document.title = `${route?.title ?? 'Not found'} · counterpoint`;
  if (!route || (route.minRole && !roleAtLeast(me, route.minRole))) {
    const refused = !!route;
    main.replaceChildren(
      h('h1', { tabindex: '-1' }, refused ? 'Not for your role' : 'Page not found'),
      h('p', { class: 'empty' }, refused ? `This page needs ${route.minRole === 'ADMIN' ? 'an' : 'a'} ${route.minRole} key; yours is ${me!.role}.` : 'There is no such page in the dashboard: the link may be mistyped or out of date.'),
      wayBack(),
    );
    main.removeAttribute('aria-busy');
    return;
  }
  const ctx: ViewContext = {
    me: me!,
    params: matched.params,
    query,
    go: (hash) => {
      if (location.hash === hash) void render();
      else location.hash = hash;
    },
    refresh: () => void render(),
  };
  let content: Node;
  try {
    content = await route.view(ctx);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.clear();
      me = null;
      root.replaceChildren(signInView(err));
      return;
    }
    content = h('div', null, h('h1', { tabindex: '-1' }, route.title), problemBox(err), wayBack());
  }
  if (token !== renderToken) return; // a newer navigation won
  main.replaceChildren(content);
  main.removeAttribute('aria-busy');
  (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: false });
}

window.addEventListener('hashchange', () => void render());
void render();
