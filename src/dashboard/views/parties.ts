import { call, get, PARTY_KINDS, post, roleAtLeast, STANCES, type Assertion, type ClaimRef, type Page, type Party, type PartyDetail } from '../api';
import { formValues, route, type View } from '../context';
import { bdi, h, humanize, time } from '../dom';
import { onSubmit, saved, showProblem } from '../forms';
import { actionButton, claimLink, contestationBadge, empty, field, positionLine, select } from '../ui';
import { affiliationText, forgetParty, partyPicker } from '../widgets/party-picker';

type Statement = Assertion & { via: 'party' | 'speaker' | 'affiliation'; claim: ClaimRef };

/** #/parties: search by name or alias, filter by kind. */
export const partiesView: View = async (ctx) => {
  const q = ctx.query.get('q') ?? '';
  const kind = ctx.query.get('kind') ?? '';
  const page = await get<Page<Party>>('/v1/parties', { q, kind, limit: 50 });
  const editor = roleAtLeast(ctx.me, 'EDITOR');
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search parties' },
    field('Name or alias', h('input', { name: 'q', type: 'search', value: q, dir: 'auto' })),
    field('Kind', select('kind', [['', 'any'], ...PARTY_KINDS.map((k): [string, string] => [k, humanize(k)])], kind)),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search parties'), q || kind ? h('a', { class: 'button secondary', href: '#/parties' }, 'Clear') : null),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.go(route('#/parties', formValues(form)));
  });
  const list = h('ol', { class: 'cards parties', 'aria-label': 'Parties' });
  const more = h('div', { class: 'more' });
  const out = h('div');
  const add = (p: Page<Party>) => {
    list.append(...p.data.map(partyCard));
    more.replaceChildren();
    if (p.nextCursor) {
      const cursor = p.nextCursor;
      more.append(actionButton('Load more parties', async () => add(await get<Page<Party>>('/v1/parties', { q, kind, limit: 50, cursor })), out, { class: 'secondary' }));
    }
  };
  add(page);
  return h(
    'section',
    null,
    h('h1', { tabindex: '-1' }, 'Parties'),
    h('p', { class: 'lede' }, 'States, bodies, groups, newsrooms and people: everyone a statement can be attributed to.'),
    editor ? h('p', { class: 'toolbar' }, h('a', { class: 'button', href: '#/parties/new' }, 'Add a new party')) : null,
    form,
    page.data.length ? [list, more, out] : empty(q || kind ? 'No party matches.' : 'No parties yet.'),
  );
};

function partyCard(p: Party): HTMLElement {
  return h(
    'li',
    { class: 'card party-card' },
    h('h2', { class: 'card-title' }, h('a', { href: `#/parties/${p.id}` }, bdi(p.name)), ' ', h('span', { class: 'chip' }, humanize(p.kind))),
    p.aliases.length ? h('p', { class: 'meta' }, 'Also: ', bdi(p.aliases.join(', '))) : null,
  );
}

/** The party's fields, as a form that creates or (with If-Match) changes it. */
function partyForm(initial: Party | null) {
  const name = h('input', { name: 'name', required: true, dir: 'auto', value: initial?.name ?? '', maxlength: '200' });
  const kind = select('kind', PARTY_KINDS.map((k): [string, string] => [k, humanize(k)]), initial?.kind ?? 'STATE');
  const aliases = h('input', { name: 'aliases', dir: 'auto', value: initial?.aliases.join(', ') ?? '' });
  const country = h('input', { name: 'country', class: 'short', maxlength: '2', value: initial?.country ?? '' });
  const wikidata = h('input', { name: 'wikidataId', class: 'short', placeholder: 'e.g. Q43', value: initial?.wikidataId ?? '' });
  const description = h('textarea', { name: 'description', rows: '3', dir: 'auto' });
  description.value = initial?.description ?? '';
  const fields = h(
    'div',
    { class: 'grid2' },
    field('Name', name, { path: 'name slug' }),
    field('Kind', kind, { path: 'kind' }),
    field('Also known as', aliases, { hint: 'other names and spellings, separated by commas', path: 'aliases' }),
    field('Country', country, { hint: 'two letters (ISO 3166), optional', path: 'country' }),
    field('Wikidata id', wikidata, { hint: 'optional, e.g. Q43 for Türkiye', path: 'wikidataId' }),
    field('Description', description, { path: 'description' }),
  );
  const values = () => {
    const opt = (v: string) => (v.trim() ? v.trim() : initial ? null : undefined);
    const body: Record<string, unknown> = {
      name: name.value.trim(),
      kind: kind.value,
      aliases: aliases.value.split(',').map((a) => a.trim()).filter(Boolean),
      country: opt(country.value.toUpperCase()),
      wikidataId: opt(wikidata.value),
      description: opt(description.value),
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    return body;
  };
  return { fields, values };
}

/** #/parties/new */
export const newPartyView: View = async (ctx) => {
  const { fields, values } = partyForm(null);
  const out = h('div', { class: 'form-status' });
  const form = h('form', { class: 'panel' }, fields, h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Create the party'), h('a', { class: 'button secondary', href: '#/parties' }, 'Cancel')), out);
  onSubmit(form, out, async (keyFor) => {
    const body = values();
    const party = await post<Party>('/v1/parties', body, keyFor(body));
    ctx.go(`#/parties/${party.id}`);
  });
  return h('section', null, h('p', { class: 'crumbs' }, h('a', { href: '#/parties' }, 'Parties'), ' › New'), h('h1', { tabindex: '-1' }, 'Add a new party'), form);
};

/** #/parties/<id>: who the party is, who speaks for it, and what it has said. */
export const partyView: View = async (ctx) => {
  const id = ctx.params[0]!;
  const stance = ctx.query.get('stance') ?? '';
  const [answer, statements] = await Promise.all([call<PartyDetail>('GET', `/v1/parties/${id}`), get<Page<Statement>>(`/v1/parties/${id}/statements`, { stance, limit: 50 })]);
  const party = answer.body;
  const editor = roleAtLeast(ctx.me, 'EDITOR');

  const stanceFilter = select('stance', [['', 'every stance'], ...STANCES.map((s): [string, string] => [s, humanize(s)])], stance, { id: 'statement-stance' });
  stanceFilter.addEventListener('change', () => ctx.go(route(`#/parties/${party.id}`, { stance: stanceFilter.value })));

  return h(
    'article',
    { class: 'party' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/parties' }, 'Parties'), ' › ', humanize(party.kind)),
    h('h1', { tabindex: '-1', dir: 'auto' }, party.name),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Kind'),
      h('dd', null, humanize(party.kind)),
      h('dt', null, 'Also known as'),
      h('dd', null, party.aliases.length ? bdi(party.aliases.join(', ')) : h('span', { class: 'muted' }, 'no aliases')),
      party.country ? [h('dt', null, 'Country'), h('dd', null, party.country)] : null,
      h('dt', null, 'Wikidata'),
      h('dd', null, party.wikidataId ? h('a', { href: `https://www.wikidata.org/wiki/${party.wikidataId}`, rel: 'noopener noreferrer', target: '_blank' }, `${party.wikidataId} ↗`) : h('span', { class: 'muted' }, 'not linked')),
      h('dt', null, 'Description'),
      h('dd', { dir: 'auto' }, party.description ?? h('span', { class: 'muted' }, 'none')),
    ),
    affiliationsSection(party, editor, ctx.refresh),
    h(
      'section',
      { 'aria-labelledby': 'statements-h' },
      h('h2', { id: 'statements-h' }, party.kind === 'PERSON' ? 'What they have said' : 'What it and its people have said'),
      h('div', { class: 'filters' }, field('Stance', stanceFilter)),
      statements.data.length
        ? h('ol', { class: 'cards statements', 'data-testid': 'statements' }, statements.data.map(statementCard))
        : empty(stance ? `No ${stance.toLowerCase()} statement recorded.` : 'No statement recorded yet.'),
    ),
    editor ? editSection(party, answer.etag ?? '', ctx.refresh) : null,
  );
};

function statementCard(s: Statement): HTMLElement {
  return h(
    'li',
    { class: `card ${s.claim.contestation}` },
    h('p', { class: 'meta' }, h('span', { class: `stance-${s.stance.toLowerCase()}` }, humanize(s.stance)), ' · ', time(s.assertedAt), s.speaker ? [' · spoken by ', bdi(s.speaker.name)] : null, s.via !== 'party' ? ` (${s.via === 'speaker' ? 'as speaker' : 'through a member'} for ${s.party.name})` : null),
    h('h3', { class: 'card-title' }, claimLink(s.claim.id, s.claim.statement), ' ', contestationBadge(s.claim.contestation)),
    h('blockquote', { dir: 'auto' }, bdi(s.quote)),
    h('p', { class: 'meta' }, 'Source: ', h('a', { href: `#/sources/${s.source.id}`, dir: 'auto' }, s.source.title)),
    positionLine(s.claim.positions),
  );
}

function affiliationsSection(party: PartyDetail, editor: boolean, refresh: () => void): HTMLElement {
  const isPerson = party.kind === 'PERSON';
  const rows = isPerson ? party.affiliations : party.members;
  let adder: HTMLElement | null = null;
  if (editor && isPerson) {
    const target = partyPicker({ label: 'Speaks for', path: 'partyId', canCreate: true });
    const role = h('input', { name: 'role', dir: 'auto', placeholder: 'e.g. Foreign Minister' });
    const from = h('input', { name: 'from', type: 'date' });
    const to = h('input', { name: 'to', type: 'date' });
    const out = h('div', { class: 'form-status' });
    const form = h(
      'form',
      { class: 'panel', 'aria-label': 'Add an affiliation' },
      h('div', { class: 'grid2' }, target.el, field('Role', role, { path: 'role' }), field('From', from, { path: 'from', hint: 'optional' }), field('Until', to, { path: 'to', hint: 'optional; empty while it lasts' })),
      h('button', { type: 'submit' }, 'Add the affiliation'),
      out,
    );
    onSubmit(form, out, async (keyFor) => {
      const body = { partyId: target.value()?.id ?? '', role: role.value.trim(), ...(from.value && { from: from.value }), ...(to.value && { to: to.value }) };
      await post(`/v1/parties/${party.id}/affiliations`, body, keyFor(body));
      forgetParty(party.id);
      refresh();
    });
    adder = h('details', { class: 'adder' }, h('summary', null, 'Add an affiliation'), form);
  }
  return h(
    'section',
    { 'aria-labelledby': 'aff-h' },
    h('h2', { id: 'aff-h' }, isPerson ? 'Speaks for' : 'People who speak for it'),
    rows.length
      ? h('ul', { class: 'links' }, rows.map((a) => h('li', null, isPerson ? affiliationText(a) : [h('a', { href: `#/parties/${a.person.id}` }, bdi(a.person.name)), ` — ${affiliationText(a)}`])))
      : empty(isPerson ? 'No affiliation recorded.' : 'No person recorded as speaking for it.'),
    adder,
  );
}

function editSection(party: PartyDetail, etag: string, refresh: () => void): HTMLElement {
  const { fields, values } = partyForm(party);
  const out = h('div', { class: 'form-status' });
  const save = h('button', { type: 'submit' }, 'Save the party');
  const form = h('form', { class: 'panel' }, fields, save, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    try {
      await call('PATCH', `/v1/parties/${party.id}`, values(), { 'If-Match': etag });
      forgetParty(party.id);
      out.replaceChildren(saved('Saved.'));
      refresh();
    } catch (err) {
      showProblem(form, out, err);
    } finally {
      save.disabled = false;
    }
  });
  return h('details', { class: 'adder' }, h('summary', null, 'Edit the party'), form);
}
