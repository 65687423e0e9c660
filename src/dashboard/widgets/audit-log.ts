import type { AuditEvent, Verification } from '../api';
import { h, humanize, time } from '../dom';

/*
 * The audit log as a person reads it: each change in words (who did what,
 * naming claims by their statements and parties by their names), the
 * changes the service made along with it folded under it, and the action
 * codes and hashes kept for the auditor behind "Technical details".
 */

export type WordedEvent = AuditEvent & { requestId: string | null; words?: string };

/** One thing a person did: the first event of a request, with the changes the service made along with it. */
export type Deed = { main: WordedEvent; followOns: WordedEvent[] };

/** Whether the verification that ran with the page covered an event, and how it found it. */
function chainState(v: Verification, seq: number): HTMLElement {
  if (!v.ok && v.firstBadSeq !== null && seq >= v.firstBadSeq) return h('span', { class: 'chain-bad' }, seq === v.firstBadSeq ? '✗ altered here' : '✗ after the break');
  if (seq > v.checked) return h('span', { class: 'muted' }, 'recorded after the check');
  return h('span', { class: 'chain-ok' }, '✓ verified');
}

/** A row of the log: when, what happened (with what came with it, and the technical details folded), and, given the verification, the chain's word on it. */
export function deedRow(d: Deed, v: Verification | null): HTMLElement {
  const all = [d.main, ...d.followOns];
  const technical = h(
    'details',
    { class: 'technical' },
    h('summary', null, 'Technical details'),
    h('ul', null, all.map((e) => h('li', null, `#${e.seq} `, h('code', null, e.action), ` on ${e.entityType} `, h('code', null, e.entityId), ' · hash ', h('code', { title: e.hash }, `${e.hash.slice(0, 16)}…`)))),
  );
  return h(
    'tr',
    null,
    h('td', null, time(d.main.at)),
    h(
      'td',
      { dir: 'auto' },
      d.main.words ?? `${humanize(d.main.action.replace('.', ' '))}`,
      d.followOns.length
        ? h('details', { class: 'follow-ons' }, h('summary', null, d.followOns.length === 1 ? 'and 1 change that came with it' : `and ${d.followOns.length} changes that came with it`), h('ul', null, d.followOns.map((e) => h('li', { dir: 'auto' }, e.words ?? e.action))))
        : null,
      technical,
    ),
    v ? h('td', null, chainState(v, d.main.seq)) : null,
  );
}

/** The log's header row; `withChain` adds the column of the chain's verification. */
export const auditHead = (withChain: boolean) =>
  h('thead', null, h('tr', null, ['When', 'What happened', ...(withChain ? ['Chain'] : [])].map((t) => h('th', { scope: 'col' }, t))));
