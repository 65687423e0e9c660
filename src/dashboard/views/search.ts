import { get, STANCES, type ClaimSummary, type Page, type PartyRef, type SearchMatch } from '../api';
import { formValues, route, type View } from '../context';
import { bdi, h, humanize } from '../dom';
import { segmentText } from '../lib/highlight';
import { actionButton, contestationBadge, empty, field, select, topicChips } from '../ui';

const FILTERS = ['q', 'party', 'stance', 'topic', 'contested', 'sort', 'from', 'to'] as const;

/** The API's claim search with all its filters; every hit says who holds which position. */
export const searchView: View = async (ctx) => {
  const query: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = ctx.query.get(k);
    if (v) query[k] = v;
  }
  const searched = Object.keys(query).length > 0;
  const [page, parties] = await Promise.all([
    searched ? get<Page<ClaimSummary>>('/v1/claims', { ...query, limit: 20 }) : Promise.resolve(null),
    get<Page<PartyRef>>('/v1/parties', { limit: 200 }),
  ]);

  const form = h(
    'form',
    { class: 'filters search-form', role: 'search', 'aria-label': 'Search claims' },
    field('Words', h('input', { name: 'q', type: 'search', value: query.q ?? '', placeholder: 'e.g. ceasefire violating' })),
    field('Party', h('input', { name: 'party', value: query.party ?? '', list: 'search-parties', placeholder: 'e.g. Israel' })),
    h('datalist', { id: 'search-parties' }, parties.data.map((p) => h('option', { value: p.slug }, p.name))),
    field('Stance', select('stance', [['', 'any'], ...STANCES.map((s): [string, string] => [s, humanize(s)])], query.stance ?? '')),
    field('Topic', h('input', { name: 'topic', value: query.topic ?? '' })),
    field('Contested', select('contested', [['', 'any'], ['true', 'contested'], ['false', 'not contested']], query.contested ?? '')),
    field('From', h('input', { name: 'from', type: 'date', value: query.from ?? '' })),
    field('To', h('input', { name: 'to', type: 'date', value: query.to ?? '' })),
    field('Order', select('sort', [['', 'default'], ['relevance', 'relevance'], ['recent', 'latest assertion'], ['newest', 'newest claim']], query.sort ?? '')),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go(route('#/search', formValues(form)));
  });

  let results: Node;
  if (!page) results = empty('Type some words or choose a filter to search the claims.');
  else if (!page.data.length) results = empty('No claim matches.');
  else {
    const list = h('ol', { class: 'cards results', 'aria-label': 'Search results' });
    const more = h('div', { class: 'more' });
    const out = h('div');
    const add = (p: Page<ClaimSummary>) => {
      list.append(...p.data.map(hitCard));
      more.replaceChildren();
      if (p.nextCursor) {
        const cursor = p.nextCursor;
        more.append(actionButton('Load more', async () => add(await get<Page<ClaimSummary>>('/v1/claims', { ...query, limit: 20, cursor })), out, { class: 'secondary' }));
      }
    };
    add(page);
    results = h('div', null, list, more, out);
  }

  return h('section', null, h('h1', { tabindex: '-1' }, 'Search claims'), form, results);
};

function hitCard(c: ClaimSummary): HTMLElement {
  const statementMatch = c.matches?.find((m) => m.field === 'statement');
  const quoteMatches = c.matches?.filter((m) => m.field === 'quote') ?? [];
  const all = [...c.positions.affirms, ...c.positions.denies, ...c.positions.questions, ...c.positions.retracts];
  return h(
    'li',
    { class: `card ${c.contestation}` },
    h('div', { class: 'card-head' }, contestationBadge(c.contestation), topicChips(c.topics)),
    h('h2', { class: 'card-title' }, h('a', { href: `#/claims/${c.id}`, dir: 'auto' }, statementMatch ? highlighted(statementMatch) : c.statement)),
    h('p', { class: 'summary', dir: 'auto' }, c.attributedSummary),
    quoteMatches.length
      ? h(
          'ul',
          { class: 'matches', 'aria-label': 'Matching quotes' },
          quoteMatches.map((m) => {
            const who = all.find((p) => p.assertionId === m.assertionId);
            return h('li', null, who ? [bdi(who.party.name), who.speaker ? [' (', bdi(who.speaker.name), ')'] : null, ': '] : null, h('q', { dir: 'auto' }, highlighted(m)));
          }),
        )
      : null,
  );
}

/** The match text with its highlighted words in <mark> (offsets in code points). */
export function highlighted(m: SearchMatch): Node[] {
  return segmentText(m.text, m.highlights).map((seg) => (seg.marks.length ? h('mark', null, seg.text) : document.createTextNode(seg.text)));
}

