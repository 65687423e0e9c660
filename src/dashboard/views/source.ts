import { get, type SourceDetail } from '../api';
import type { View } from '../context';
import { bdi, h, humanize, time } from '../dom';
import { segmentText } from '../lib/highlight';
import { claimLink, contestationBadge, empty, positionLine } from '../ui';

type Quote = SourceDetail['assertions'][number];

/** A source's text with every anchored quote highlighted and linked to its claim. */
export const sourceView: View = async (ctx) => {
  const source = await get<SourceDetail>(`/v1/sources/${ctx.params[0]!}?limit=200`);
  const anchored = source.assertions
    .map((a, i) => ({ a, n: i + 1, start: a.anchor?.start ?? -1, end: a.anchor?.end ?? -1 }))
    .filter((r) => r.start >= 0 && r.end > r.start);

  const text = source.text
    ? h(
        'div',
        { class: 'source-text', dir: 'auto', lang: source.language ?? undefined, 'data-testid': 'source-text' },
        segmentText(source.text, anchored).map((seg) => {
          if (!seg.marks.length) return document.createTextNode(seg.text);
          const first = seg.marks[0]!;
          const label = seg.marks.map((m) => `${m.a.party.name} ${m.a.stance.toLowerCase()}: ${m.a.claim.statement}`).join('; ');
          return h(
            'mark',
            { class: `stance-${first.a.stance.toLowerCase()}${seg.marks.length > 1 ? ' overlap' : ''}`, 'data-assertion': first.a.assertionId },
            h('a', { href: `#/claims/${first.a.claim.id}`, title: label }, seg.text),
            h('sup', null, seg.marks.map((m) => m.n).join(',')),
          );
        }),
      )
    : empty('This source has no stored text; its quotes are listed below.');

  return h(
    'article',
    { class: 'source' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' › Source'),
    h('h1', { tabindex: '-1', dir: 'auto' }, source.title),
    h(
      'p',
      { class: 'meta' },
      humanize(source.kind),
      source.publisher ? [' · published by ', bdi(source.publisher.name)] : null,
      source.publishedAt ? [' · ', time(source.publishedAt)] : null,
      source.url ? [' · ', h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, 'original ↗')] : null,
    ),
    text,
    h(
      'section',
      { 'aria-labelledby': 'quotes-h' },
      h('h2', { id: 'quotes-h' }, 'Quotes anchored in this source'),
      source.assertions.length ? h('ol', { class: 'quotes' }, source.assertions.map(quoteItem)) : empty('No active assertion quotes this source.'),
    ),
  );
};

function quoteItem(a: Quote): HTMLElement {
  return h(
    'li',
    null,
    h('p', null, bdi(a.party.name), a.speaker ? [' (', bdi(a.speaker.name), ')'] : null, ` ${a.stance.toLowerCase()} `, claimLink(a.claim.id, a.claim.statement), ' ', contestationBadge(a.claim.contestation)),
    h('blockquote', { dir: 'auto' }, a.quote),
    a.anchor?.start == null ? h('p', { class: 'hint' }, 'not anchored in the text') : null,
    positionLine(a.claim.positions),
  );
}
