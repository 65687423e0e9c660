import { ApiError, auditChainState, download, get, post, ROLES, withQuery, type ApiKey, type AuditHead, type IssuedKey, type Page, type Verification } from '../api';
import type { View } from '../context';
import { bdi, h, humanize, time } from '../dom';
import { onSubmit, saved, showProblem } from '../forms';
import { actionButton, empty, field, problemBox, select } from '../ui';
import { auditHead, deedRow, type Deed, type WordedEvent } from '../widgets/audit-log';

/*
 * #/admin (ADMIN): colleagues' keys, the audit log and its verification, and
 * reports downloaded through the signed-in key (a plain link would go out
 * without it and be refused).
 */

const today = () => new Date().toISOString().slice(0, 10);

export const adminView: View = async (ctx) => {
  const [keys, [verification, head], checkpoint] = await Promise.all([
    get<Page<ApiKey>>('/v1/keys', { limit: 200 }),
    auditChainState(),
    latestCheckpoint(),
  ]);
  return h(
    'section',
    { class: 'admin' },
    h('h1', { tabindex: '-1' }, 'Administration'),
    keysSection(keys.data, ctx.me.actorId, ctx.refresh),
    auditSection(verification, head, checkpoint),
    reportsSection(),
  );
};

/** The signed checkpoint, when this deployment has them (GET /v1/audit/checkpoint); null where it answers 404. */
async function latestCheckpoint(): Promise<string | null> {
  try {
    const res = await fetch('/v1/audit/checkpoint', { headers: { Authorization: `Bearer ${sessionStorage.getItem('counterpoint.apiKey') ?? ''}`, Accept: 'text/plain, application/json' } });
    if (!res.ok) return null;
    const type = res.headers.get('Content-Type') ?? '';
    if (type.includes('json')) {
      const body = (await res.json()) as { note?: string; checkpoint?: string };
      return body.note ?? body.checkpoint ?? JSON.stringify(body, null, 2);
    }
    return await res.text();
  } catch {
    return null;
  }
}

function keysSection(keys: ApiKey[], myActorId: string, refresh: () => void): HTMLElement {
  const name = h('input', { name: 'name', dir: 'auto', placeholder: 'e.g. Murat Yılmaz (reviewer)' });
  const role = select('role', ROLES.map((r): [string, string] => [r, humanize(r)]), 'READER');
  const out = h('div', { class: 'form-status' });
  const issued = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'panel', 'aria-labelledby': 'issue-h' },
    h('h3', { id: 'issue-h' }, 'Issue a key for a colleague'),
    h('div', { class: 'grid2' }, field('Colleague’s name', name, { path: 'name' }), field('Role', role, { path: 'role', hint: 'Reader reads; Editor also records; Reviewer also writes verdicts; Admin also manages keys' })),
    h('button', { type: 'submit' }, 'Issue the key'),
    out,
  );
  onSubmit(form, out, async (keyFor) => {
    const body = { name: name.value.trim(), role: role.value };
    const key = await post<IssuedKey>('/v1/keys', body, keyFor(body));
    name.value = '';
    issued.replaceChildren(issuedKey(key, refresh));
    issued.querySelector('button')?.focus();
  });

  const rowsOut = h('div');
  const table = keys.length
    ? h(
        'table',
        { class: 'audit keys' },
        h('thead', null, h('tr', null, ['Name', 'Role', 'Key starts', 'Issued', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          keys.map((k) =>
            h(
              'tr',
              { 'data-key': k.id, class: k.revokedAt ? 'revoked' : '' },
              h('td', null, bdi(k.name)),
              h('td', null, humanize(k.role)),
              h('td', null, h('code', null, `${k.prefix}…`)),
              h('td', null, time(k.createdAt)),
              h('td', null, k.revokedAt ? ['revoked ', time(k.revokedAt)] : 'active'),
              h('td', null, k.revokedAt || k.actorId === myActorId ? null : revokeButton(k, rowsOut, refresh)),
            ),
          ),
        ),
      )
    : empty('No keys.');
  return h('section', { 'aria-labelledby': 'keys-h' }, h('h2', { id: 'keys-h' }, 'API keys'), form, issued, rowsOut, table);
}

function issuedKey(key: IssuedKey, refresh: () => void): HTMLElement {
  const value = h('input', { id: 'new-key', readonly: true, value: key.key, class: 'key-value', spellcheck: 'false' });
  const status = h('span', { role: 'status', class: 'ok' });
  const copy = h('button', { type: 'button' }, 'Copy the key');
  copy.addEventListener('click', async () => {
    value.select();
    try {
      await navigator.clipboard.writeText(key.key);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Select the key and copy it with Ctrl+C.';
    }
  });
  return h(
    'div',
    { class: 'issued', 'data-testid': 'issued-key' },
    h('p', null, h('strong', null, `Key for ${key.name} (${humanize(key.role)})`), ': give it to them now. It is shown only this once; if it is lost, revoke it and issue another.'),
    field('The new key', value),
    h('div', { class: 'toolbar' }, copy, status, h('button', { type: 'button', class: 'secondary', onclick: refresh }, 'Done: I have passed it on')),
  );
}

function revokeButton(k: ApiKey, out: HTMLElement, refresh: () => void): HTMLElement {
  const cell = h('div', { class: 'confirm' });
  const ask = h('button', { type: 'button', class: 'secondary small' }, `Revoke ${k.name}’s key`);
  ask.addEventListener('click', () => {
    const yes = actionButton(
      'Yes, revoke it',
      async () => {
        await post(`/v1/keys/${k.id}/revoke`, undefined);
        refresh();
      },
      out,
      { class: 'small danger' },
    );
    const no = h('button', { type: 'button', class: 'secondary small', onclick: () => cell.replaceChildren(ask) }, 'Keep it');
    cell.replaceChildren(h('span', null, 'It stops working at once. '), yes, ' ', no);
    yes.focus();
  });
  cell.append(ask);
  return cell;
}

function auditSection(v: Verification, head: AuditHead, checkpoint: string | null): HTMLElement {
  const day = h('input', { type: 'date', name: 'day', value: today() });
  const events = h('div', null);
  const out = h('div');
  const load = async () => {
    events.replaceChildren(h('p', { class: 'loading' }, 'Loading the log…'));
    // the whole day, in UTC: a bare date would mean its first instant
    const page = (cursor?: string) =>
      get<Page<WordedEvent>>('/v1/audit/events', { from: `${day.value}T00:00:00Z`, to: `${day.value}T23:59:59.999Z`, limit: 100, cursor, include: 'words' });
    try {
      const first = await page();
      const body = h('tbody');
      const more = h('div', { class: 'more' });
      let last: Deed | null = null;
      const append = (p: Page<WordedEvent>) => {
        const fresh: Deed[] = [];
        let continued = false; // a request cut by the page boundary: its follow-ons join the row already drawn
        for (const e of p.data) {
          const open = fresh[fresh.length - 1] ?? last;
          if (open && e.requestId && open.main.requestId === e.requestId) {
            open.followOns.push(e);
            continued ||= open === last;
          } else fresh.push({ main: e, followOns: [] });
        }
        if (continued && last) body.lastElementChild?.replaceWith(deedRow(last, v));
        body.append(...fresh.map((d) => deedRow(d, v)));
        last = fresh[fresh.length - 1] ?? last;
        more.replaceChildren();
        if (p.nextCursor) {
          const c = p.nextCursor;
          more.append(actionButton('Load more events', async () => append(await page(c)), out, { class: 'secondary' }));
        }
      };
      append(first);
      events.replaceChildren(
        first.data.length
          ? h(
              'div',
              null,
              h('table', { class: 'audit log', 'data-testid': 'audit-log' }, auditHead(true), body),
              more,
            )
          : empty('No events on that day.'),
      );
    } catch (err) {
      events.replaceChildren(problemBox(err));
    }
  };
  day.addEventListener('change', () => void load());
  void load();
  return h(
    'section',
    { 'aria-labelledby': 'audit-h' },
    h('h2', { id: 'audit-h' }, 'Audit log'),
    h(
      'p',
      { class: `verification ${v.ok ? 'ok' : 'bad'}`, 'data-testid': 'verification' },
      v.ok
        ? `✓ The chain verifies: all ${v.checked} recorded changes are as they were written.`
        : `✗ The chain is broken at change #${v.firstBadSeq}: it or what follows was altered after it was written (${v.checked} checked).`,
      ' Latest: ',
      h('code', { title: head.hash ?? '' }, `#${head.seq} ${head.hash ? `${head.hash.slice(0, 16)}…` : '(empty)'}`),
      head.at ? [' at ', time(head.at)] : null,
    ),
    checkpoint ? h('details', { class: 'checkpoint', 'data-testid': 'checkpoint' }, h('summary', null, 'Latest signed checkpoint'), h('pre', null, checkpoint)) : null,
    h('div', { class: 'filters' }, field('Day', day, { hint: 'in UTC' })),
    out,
    events,
  );
}

function reportsSection(): HTMLElement {
  const kind = select('report', [['audit', 'Audit report: every change, with the chain’s verification'], ['claims', 'Claims report: positions, counter-claims and verdicts']], 'audit');
  const format = select('format', [['csv', 'CSV (spreadsheet)'], ['html', 'HTML (web page)'], ['json', 'JSON (data)']], 'csv');
  const from = h('input', { type: 'date', name: 'from', value: today() });
  const to = h('input', { type: 'date', name: 'to', value: today() });
  const topic = h('input', { name: 'topic', placeholder: 'e.g. ceasefire-violations' });
  const party = h('input', { name: 'party', placeholder: 'e.g. Israel' });
  const claimsOnly = h('div', { class: 'grid2', hidden: true }, field('Topic', topic, { path: 'topic', hint: 'optional' }), field('Party', party, { path: 'party', hint: 'optional' }));
  kind.addEventListener('change', () => (claimsOnly.hidden = kind.value !== 'claims'));
  const out = h('div', { class: 'form-status' });
  const form = h(
    'form',
    { class: 'panel', 'aria-labelledby': 'reports-h' },
    h('div', { class: 'report-choice' }, field('Report', kind), field('Format', format, { path: 'format' })),
    h('div', { class: 'report-period' }, field('From', from, { path: 'from' }), field('To', to, { path: 'to', hint: 'up to the end of that day' })),
    claimsOnly,
    h('button', { type: 'submit' }, 'Download the report'),
    out,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    button.disabled = true;
    out.replaceChildren();
    try {
      const query = { format: format.value, from: from.value, to: to.value, ...(kind.value === 'claims' && { topic: topic.value.trim(), party: party.value.trim() }) };
      const name = `${kind.value}-report-${from.value || 'start'}-to-${to.value || today()}.${format.value}`;
      await download(withQuery(`/v1/reports/${kind.value}`, query), name);
      out.replaceChildren(saved(`Downloaded ${name}.`));
    } catch (err) {
      showProblem(form, out, err instanceof ApiError ? err : new ApiError(0, 'The download failed', String(err)));
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'reports-h' }, h('h2', { id: 'reports-h' }, 'Reports'), form);
}

