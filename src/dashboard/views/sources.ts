import { get, post, roleAtLeast, SOURCE_KINDS, type Page, type SourceRef } from '../api';
import { formValues, route, type View } from '../context';
import { bdi, h, humanize, publishedOn } from '../dom';
import { onSubmit } from '../forms';
import { actionButton, empty, field, select } from '../ui';
import { partyPicker } from '../widgets/party-picker';

/** #/sources: find a source to read or record from; EDITORs add new ones. */
export const sourcesView: View = async (ctx) => {
  const q = ctx.query.get('q') ?? '';
  const forClaim = ctx.query.get('claim') ?? '';
  const page = await get<Page<SourceRef>>('/v1/sources', { q, limit: 25 });
  const editor = roleAtLeast(ctx.me, 'EDITOR');

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search sources' },
    field('Title or publisher', h('input', { name: 'q', type: 'search', value: q, dir: 'auto' })),
    forClaim ? h('input', { type: 'hidden', name: 'claim', value: forClaim }) : null,
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search sources'), q ? h('a', { class: 'button secondary', href: route('#/sources', { claim: forClaim }) }, 'Clear') : null),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go(route('#/sources', formValues(form)));
  });

  const list = h('ol', { class: 'cards sources', 'aria-label': 'Sources' });
  const more = h('div', { class: 'more' });
  const out = h('div');
  const add = (p: Page<SourceRef>) => {
    list.append(...p.data.map((s) => sourceCard(s, forClaim)));
    more.replaceChildren();
    if (p.nextCursor) {
      const cursor = p.nextCursor;
      more.append(actionButton('Load more sources', async () => add(await get<Page<SourceRef>>('/v1/sources', { q, limit: 25, cursor })), out, { class: 'secondary' }));
    }
  };
  add(page);

  return h(
    'section',
    null,
    h('h1', { tabindex: '-1' }, forClaim ? 'Choose the source of the new stance' : 'Sources'),
    h('p', { class: 'lede' }, forClaim ? 'Open the source where the party takes its stance, then select the passage.' : 'Articles, posts and statements; open one to read it and record what is said in it.'),
    editor ? h('p', { class: 'toolbar' }, h('a', { class: 'button', href: '#/sources/new' }, 'Add a new source')) : null,
    form,
    page.data.length
      ? [list, more, out]
      : empty(q ? 'No source matches.' : editor ? 'No sources yet. Add the first one: paste an article and record what its parties say.' : 'No sources yet.'),
  );
};

function sourceCard(s: SourceRef, forClaim: string): HTMLElement {
  return h(
    'li',
    { class: 'card source-card' },
    h('h2', { class: 'card-title' }, h('a', { href: route(`#/sources/${s.id}`, { claim: forClaim }), dir: 'auto' }, s.title)),
    h('p', { class: 'meta' }, humanize(s.kind), s.publisher ? [' · ', bdi(s.publisher.name)] : null, s.publishedAt ? [' · ', publishedOn(s.publishedAt)] : null, s.language ? ` · ${s.language}` : null),
  );
}

/** #/sources/new: paste an article and describe it. */
export const newSourceView: View = async (ctx) => {
  const text = h('textarea', { name: 'text', rows: '12', dir: 'auto', spellcheck: 'false' });
  const title = h('input', { name: 'title', required: true, dir: 'auto', maxlength: '500' });
  const url = h('input', { name: 'url', type: 'url', placeholder: 'https://…' });
  const publisher = partyPicker({ label: 'Publisher', path: 'publisherId', kinds: ['MEDIA', 'ORGANIZATION', 'GOVERNMENT_BODY', 'STATE', 'PERSON'], canCreate: true, hint: 'the newsroom, agency or body that published it' });
  const publishedAt = h('input', { name: 'publishedAt', type: 'date' });
  const language = h('input', { name: 'language', placeholder: 'e.g. en, tr, ar', class: 'short', maxlength: '35' });
  const kind = select('kind', SOURCE_KINDS.map((k): [string, string] => [k, humanize(k)]), 'ARTICLE');
  const out = h('div', { class: 'form-status' });
  const form = h(
    'form',
    { class: 'panel', 'aria-labelledby': 'new-source-h' },
    field('Text', text, { hint: 'paste the article as published; it is stored exactly as pasted, and quotes are selected from it', path: 'text' }),
    h(
      'div',
      { class: 'grid2' },
      field('Title', title, { path: 'title' }),
      field('Kind', kind, { path: 'kind' }),
      field('Web address (URL)', url, { path: 'url', hint: 'optional' }),
      publisher.el,
      field('Published on', publishedAt, { path: 'publishedAt', hint: 'optional' }),
      field('Language', language, { path: 'language', hint: 'the language code of the text, e.g. en or tr' }),
    ),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Save the source'), h('a', { class: 'button secondary', href: '#/sources' }, 'Cancel')),
    out,
  );
  onSubmit(form, out, async (keyFor) => {
    publisher.assertChosen();
    const v = formValues(form);
    const pub = publisher.value();
    const body = {
      kind: kind.value,
      title: title.value.trim(),
      ...(v.url && { url: v.url }),
      ...(pub && { publisherId: pub.id }),
      ...(v.publishedAt && { publishedAt: v.publishedAt }),
      ...(v.language && { language: v.language }),
      // the text exactly as pasted: anchors count its code points
      ...(text.value.trim() && { text: text.value }),
    };
    const source = await post<{ id: string }>('/v1/sources', body, keyFor(body));
    ctx.go(`#/sources/${source.id}`);
  });
  return h('section', null, h('p', { class: 'crumbs' }, h('a', { href: '#/sources' }, 'Sources'), ' › New'), h('h1', { id: 'new-source-h', tabindex: '-1' }, 'Add a new source'), form);
};
