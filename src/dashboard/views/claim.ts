import { call, get, roleAtLeast, type ClaimLink, type Dossier, type Page, type Position, type Review } from '../api';
import type { View } from '../context';
import { bdi, h, humanize, time, type Child } from '../dom';
import { claimLink, contestationBadge, empty, loading, partyNames, positionLine, problemBox, topicChips } from '../ui';
import { auditHead, deedRow, type WordedEvent } from '../widgets/audit-log';
import { editClaimSection, linkClaimSection, mergeSection, withdrawControl } from './claim-actions';

const COLUMNS: { key: 'affirms' | 'denies' | 'questions' | 'retracts'; title: string }[] = [
  { key: 'affirms', title: 'Affirms' },
  { key: 'denies', title: 'Denies' },
  { key: 'questions', title: 'Questions' },
  { key: 'retracts', title: 'Retracts' },
];

/** The claim dossier: the statement, then who affirms, denies and questions it, side by side. */
export const claimView: View = async (ctx) => {
  const id = ctx.params[0]!;
  const answer = await call<Dossier>('GET', `/v1/claims/${id}`);
  const claim = answer.body;
  const editor = roleAtLeast(ctx.me, 'EDITOR');
  const reviewer = roleAtLeast(ctx.me, 'REVIEWER');
  const admin = roleAtLeast(ctx.me, 'ADMIN');

  const disputing = claim.counterClaims.filter((l) => l.direction === 'incoming' && l.by);
  const columns = COLUMNS.filter((c) => c.key !== 'retracts' || claim.positions.retracts.length);

  const audit = h('div', null, loading('Loading the audit history…'));
  if (admin) void loadAudit(claim, audit);

  return h(
    'article',
    { class: 'dossier' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' › ', 'Claim'),
    h('div', { class: 'card-head' }, contestationBadge(claim.contestation), topicChips(claim.topics)),
    h('h1', { tabindex: '-1', dir: 'auto' }, claim.statement),
    claim.subjects.length ? h('p', { class: 'meta' }, 'About ', ...partyNames(claim.subjects)) : null,
    claim.id !== id ? h('p', { class: 'notice', role: 'status' }, 'The claim you opened was merged into this one as a duplicate; its assertions are here.') : null,
    h('p', { class: 'summary', dir: 'auto' }, claim.attributedSummary),
    h(
      'nav',
      { class: 'toolbar', 'aria-label': 'Claim actions' },
      h('a', { class: 'button secondary', href: `#/claims/${claim.id}/graph` }, 'Counter-claim graph'),
      editor ? h('a', { class: 'button', href: `#/sources?claim=${claim.id}` }, 'Record another party’s stance') : null,
      reviewer ? h('a', { class: 'button', href: `#/claims/${claim.id}/review` }, 'Write a verdict') : null,
    ),
    editor ? h('div', { class: 'claim-actions' }, editClaimSection(claim, answer.etag ?? '', ctx.refresh), linkClaimSection(claim, ctx.refresh), mergeSection(claim, ctx.go)) : null,
    h(
      'section',
      { 'aria-labelledby': 'positions-h' },
      h('h2', { id: 'positions-h' }, 'Positions'),
      h(
        'div',
        { class: 'positions', 'data-testid': 'positions' },
        columns.map((c) =>
          h(
            'section',
            { class: `column stance-${c.key}${claim.positions[c.key].length ? '' : ' none'}`, 'aria-label': c.title, 'data-stance': c.key },
            h('h3', null, c.title, ' ', h('span', { class: 'count' }, String(claim.positions[c.key].length))),
            claim.positions[c.key].length ? claim.positions[c.key].map(positionCard) : empty('No party.'),
          ),
        ),
        h(
          'section',
          { class: `column stance-counters${disputing.length ? '' : ' none'}`, 'aria-label': 'Disputes through counter-claims', 'data-stance': 'counters' },
          h('h3', null, 'Disputes through counter-claims ', h('span', { class: 'count' }, String(disputing.length))),
          disputing.length ? disputing.map(counterCard) : empty('No party answers with a counter-claim.'),
        ),
      ),
    ),
    linkSection('Counter-claims', 'counter-h', claim.counterClaims, 'No counter-claims.'),
    linkSection('Supporting and qualifying claims', 'support-h', claim.supportingClaims, 'No supporting claims.'),
    h(
      'section',
      { 'aria-labelledby': 'verdicts-h' },
      h('h2', { id: 'verdicts-h' }, 'Published verdicts'),
      claim.reviews.length ? h('div', { class: 'verdicts' }, claim.reviews.map(verdictCard)) : empty('No published verdict yet.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'assertions-h' },
      h('h2', { id: 'assertions-h' }, 'Every assertion recorded'),
      h(
        'ol',
        { class: 'history' },
        claim.history.map((a) =>
          h(
            'li',
            { class: a.withdrawn ? 'withdrawn' : '', 'data-assertion': a.assertionId },
            a.assertedAt ? time(a.assertedAt) : ['recorded ', time(a.createdAt), ' (undated)'],
            ' — ',
            bdi(a.party.name),
            ` ${a.stance.toLowerCase()}`,
            a.speaker ? [' (', bdi(a.speaker.name), ')'] : null,
            ' in ',
            h('a', { href: `#/sources/${a.source.id}` }, a.source.title),
            a.withdrawn ? h('span', { class: 'withdrawal' }, ' — withdrawn ', time(a.withdrawn.at), a.withdrawn.reason ? [': ', h('span', { dir: 'auto' }, a.withdrawn.reason)] : '') : null,
            editor && !a.withdrawn ? withdrawControl(a, ctx.refresh) : null,
          ),
        ),
      ),
    ),
    admin ? h('section', { 'aria-labelledby': 'audit-h' }, h('h2', { id: 'audit-h' }, 'History in the audit log'), audit) : null,
  );
};

export function positionCard(p: Position): HTMLElement {
  return h(
    'article',
    { class: 'position', 'data-party': p.party.slug },
    h('h4', null, bdi(p.party.name)),
    p.speaker ? h('p', { class: 'speaker' }, 'Speaker: ', bdi(p.speaker.name)) : null,
    h(
      'blockquote',
      { dir: 'auto', class: p.quoteKind === 'DIRECT' ? 'direct' : 'indirect', cite: p.source.url ?? undefined },
      p.quoteKind === 'DIRECT' ? ['“', bdi(p.quote), '”'] : bdi(p.quote),
    ),
    p.quoteKind === 'INDIRECT' ? h('p', { class: 'hint' }, 'reported speech') : null,
    h(
      'p',
      { class: 'meta' },
      time(p.assertedAt),
      p.occasion ? [' · ', h('span', { dir: 'auto' }, p.occasion)] : null,
      h('br'),
      'Source: ',
      h('a', { href: `#/sources/${p.source.id}`, dir: 'auto' }, p.source.title),
      p.source.url ? [' ', h('a', { href: p.source.url, rel: 'noopener noreferrer', target: '_blank', class: 'external' }, 'original ↗')] : null,
    ),
  );
}

function counterCard(l: ClaimLink): HTMLElement {
  return h(
    'article',
    { class: 'position', 'data-party': l.by?.slug },
    h('h4', null, l.by ? bdi(l.by.name) : 'Editorial link'),
    h('p', { class: 'speaker' }, `${humanize(l.relation)} with:`),
    h('p', { class: 'counter-statement' }, claimLink(l.claim.id, l.claim.statement)),
    positionLine(l.claim.positions),
  );
}

function linkSection(title: string, id: string, links: ClaimLink[], none: string): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': id },
    h('h2', { id }, title),
    links.length
      ? h(
          'ul',
          { class: 'links' },
          links.map((l) =>
            h(
              'li',
              null,
              h('span', { class: 'chip' }, l.direction === 'incoming' ? `${humanize(l.relation)} this claim` : `this claim ${l.relation.toLowerCase()}`),
              ' ',
              claimLink(l.claim.id, l.claim.statement),
              ' ',
              contestationBadge(l.claim.contestation),
              h('br'),
              h('small', null, l.by ? ['put forward by ', bdi(l.by.name)] : 'an editorial link', l.note ? [' — ', h('span', { dir: 'auto' }, l.note)] : null),
              positionLine(l.claim.positions),
            ),
          ),
        )
      : empty(none),
  );
}

export function verdictCard(r: Review): HTMLElement {
  return h(
    'article',
    { class: `verdict rating-${r.rating.toLowerCase()}` },
    h('h3', null, h('span', { class: 'rating' }, humanize(r.rating)), ' — ', h('span', { dir: 'auto' }, r.ratingLabel)),
    h(
      'p',
      { class: 'meta' },
      'Verdict of ',
      bdi(r.reviewer.name),
      ', written by ',
      bdi(r.author.name),
      r.published ? [', published ', time(r.published.at), ' by ', bdi(r.published.by.name)] : null,
    ),
    h('p', { dir: 'auto', class: 'verdict-summary' }, r.summary),
    r.evidence.length ? h('ul', { class: 'evidence' }, r.evidence.map(evidenceItem)) : null,
  );
}

function evidenceItem(e: Review['evidence'][number]): HTMLElement {
  const label: Child = e.title ?? e.url ?? 'source';
  return h(
    'li',
    null,
    h('span', { class: `chip ev-${e.relation.toLowerCase()}` }, humanize(e.relation)),
    ' ',
    e.sourceId ? h('a', { href: `#/sources/${e.sourceId}` }, label) : e.url ? h('a', { href: e.url, rel: 'noopener noreferrer', target: '_blank' }, label) : label,
    e.note ? [' — ', h('span', { dir: 'auto' }, e.note)] : null,
  );
}

/** The claim's events, with those of its assertions and published reviews (ADMIN). */
async function loadAudit(claim: Dossier, out: HTMLElement): Promise<void> {
  try {
    const entities: [string, string][] = [['claim', claim.id], ...claim.history.map((a) => ['assertion', a.assertionId] as [string, string]), ...claim.reviews.map((r) => ['review', r.id] as [string, string])];
    const pages = await Promise.all(entities.slice(0, 40).map(([entityType, entityId]) => get<Page<WordedEvent>>('/v1/audit/events', { entityType, entityId, limit: 50, include: 'words' })));
    const events = pages.flatMap((p) => p.data).sort((a, b) => a.seq - b.seq);
    out.replaceChildren(
      events.length
        ? h(
            'table',
            { class: 'audit log' },
            auditHead(false),
            h('tbody', null, events.map((e) => deedRow({ main: e, followOns: [] }, null))),
          )
        : empty('No audit events.'),
    );
  } catch (err) {
    out.replaceChildren(problemBox(err));
  }
}
