import { get, roleAtLeast, type Page, type PartyRef, type QueueItem } from '../api';
import { formValues, route, type View } from '../context';
import { h, publishedOn } from '../dom';
import { actionButton, claimLink, contestationBadge, empty, field, positionLine, statusBadge, topicChips } from '../ui';

/** Claims awaiting a published verdict, contested first (the API's order). */
export const queueView: View = async (ctx) => {
  const topic = ctx.query.get('topic') ?? '';
  const party = ctx.query.get('party') ?? '';
  const [page, parties] = await Promise.all([
    get<Page<QueueItem>>('/v1/review-queue', { topic, party, limit: 25 }),
    get<Page<PartyRef>>('/v1/parties', { limit: 200 }),
  ]);

  const partyList = h('datalist', { id: 'queue-parties' }, parties.data.map((p) => h('option', { value: p.slug }, p.name)));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter the queue' },
    field('Topic', h('input', { name: 'topic', value: topic, placeholder: 'e.g. ceasefire-violations' })),
    field('Party', h('input', { name: 'party', value: party, list: 'queue-parties', placeholder: 'e.g. Israel' })),
    partyList,
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Filter'), topic || party ? h('a', { href: '#/queue', class: 'button secondary' }, 'Clear') : null),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go(route('#/queue', formValues(form)));
  });

  const list = h('ol', { class: 'cards queue', 'aria-label': 'Claims awaiting review' });
  const more = h('div', { class: 'more' });
  const out = h('div');
  const add = (p: Page<QueueItem>) => {
    for (const item of p.data) list.append(queueCard(item, roleAtLeast(ctx.me, 'REVIEWER')));
    more.replaceChildren();
    if (p.nextCursor) {
      const cursor = p.nextCursor;
      more.append(actionButton('Load more', async () => add(await get<Page<QueueItem>>('/v1/review-queue', { topic, party, limit: 25, cursor })), out, { class: 'secondary' }));
    }
  };
  add(page);

  return h(
    'section',
    null,
    h('h1', { tabindex: '-1' }, 'Review queue'),
    h('p', { class: 'lede' }, 'Claims without a published verdict: contested ones first, then those more parties take a position on, then the most recent.'),
    form,
    page.data.length ? [list, more, out] : await emptyQueue(Boolean(topic || party), roleAtLeast(ctx.me, 'EDITOR')),
  );
};

/** Why nothing is listed: the filters, every claim judged, or no claim recorded yet. */
async function emptyQueue(filtered: boolean, editor: boolean): Promise<HTMLElement> {
  if (filtered) return empty('Nothing awaits review with these filters.');
  const any = await get<Page<{ id: string }>>('/v1/claims', { limit: 1 });
  if (any.data.length > 0) return empty('Nothing awaits review. Every claim has a published verdict.');
  return h(
    'p',
    { class: 'empty' },
    'Nothing awaits review: no claim is recorded yet.',
    editor ? [' ', h('a', { href: '#/sources/new' }, 'Record one from a source'), '.'] : null,
  );
}

function queueCard(item: QueueItem, reviewer: boolean): HTMLElement {
  const c = item.claim;
  return h(
    'li',
    { class: `card ${c.contestation}` },
    h('div', { class: 'card-head' }, contestationBadge(c.contestation), topicChips(c.topics)),
    h('h2', { class: 'card-title' }, claimLink(c.id, c.statement)),
    positionLine(c.positions, item.counteredBy ?? []),
    h(
      'p',
      { class: 'meta' },
      `${item.partiesWithPosition} ${item.partiesWithPosition === 1 ? 'party' : 'parties'} with a position · `,
      item.latestAssertedAt ? ['last said ', publishedOn(item.latestAssertedAt)] : 'no date recorded for what was said',
    ),
    item.draft
      ? h(
          'p',
          { class: 'draft' },
          statusBadge(item.draft.status),
          ' verdict by ',
          h('bdi', null, item.draft.author.name),
          reviewer ? [' · ', h('a', { href: `#/reviews/${item.draft.id}` }, 'Open the draft')] : null,
        )
      : reviewer
        ? h('p', { class: 'draft' }, h('a', { href: `#/claims/${c.id}/review` }, 'Write a verdict'))
        : null,
  );
}
