import { get, PARTY_KINDS, post, type Affiliation, type Page, type PartyDetail, type PartyRef } from '../api';
import { bdi, formatDate, h, humanize } from '../dom';
import { idempotencyKeys, onSubmitButton, saved } from '../forms';
import { field, select } from '../ui';
import { combobox, type Combo } from './combobox';

/*
 * Choosing a party: fuzzy search over names and aliases (GET /v1/parties?q=),
 * people shown with whom they speak for, and a missing party created on the
 * spot without leaving the form.
 */

type Hit = PartyRef & { aliases?: string[] };

const details = new Map<string, Promise<PartyDetail>>();

/** A party with its affiliations, fetched once per page view. */
export function partyDetail(id: string): Promise<PartyDetail> {
  let d = details.get(id);
  if (!d) {
    d = get<PartyDetail>(`/v1/parties/${id}`);
    d.catch(() => details.delete(id));
    details.set(id, d);
  }
  return d;
}

export function forgetParty(id: string): void {
  details.delete(id);
}

/** "Foreign Minister of Türkiye, since 4 Jun 2023". */
export function affiliationText(a: Affiliation): string {
  const span = a.from && a.to ? `, ${formatDate(a.from)} – ${formatDate(a.to)}` : a.from ? `, since ${formatDate(a.from)}` : a.to ? `, until ${formatDate(a.to)}` : '';
  return `${a.role} of ${a.party.name}${span}`;
}

/** Whether an affiliation held on a day (YYYY-MM-DD; no day: held now or at some time). */
export function heldOn(a: Affiliation, day: string | null): boolean {
  if (!day) return !a.to || a.to >= new Date().toISOString().slice(0, 10);
  return (!a.from || a.from <= day) && (!a.to || a.to >= day);
}

async function searchParties(q: string, kinds: readonly string[] | undefined): Promise<Hit[]> {
  const pages = await Promise.all(
    (kinds?.length ? kinds : [undefined]).map((kind) => get<Page<Hit>>('/v1/parties', { q: q || undefined, kind, limit: 8 })),
  );
  const seen = new Set<string>();
  return pages.flatMap((p) => p.data).filter((p) => !seen.has(p.id) && (seen.add(p.id), true)).slice(0, 10);
}

function option(p: Hit): Node {
  const aff = h('span', { class: 'combo-aff' });
  if (p.kind === 'PERSON') {
    void partyDetail(p.id)
      .then((d) => aff.replaceChildren(d.affiliations.length ? d.affiliations.map(affiliationText).join('; ') : 'no affiliation recorded'))
      .catch(() => undefined);
  }
  return h(
    'span',
    { class: 'combo-party' },
    h('strong', null, bdi(p.name)),
    ' ',
    h('span', { class: 'chip' }, humanize(p.kind)),
    p.aliases?.length ? h('span', { class: 'combo-alias' }, ' also: ', bdi(p.aliases.join(', '))) : null,
    p.kind === 'PERSON' ? [h('br'), aff] : null,
  );
}

export type PartyPickerOptions = {
  label: string;
  path?: string;
  hint?: string;
  /** Only parties of these kinds are offered (and created). */
  kinds?: readonly string[];
  /** Offer to create a missing party (EDITOR and up). */
  canCreate: boolean;
  onPick?(p: PartyRef | null): void;
};

/** A party picker with inline creation. */
export function partyPicker(o: PartyPickerOptions): Combo<PartyRef> {
  const creator = h('div', { class: 'inline-create', hidden: true });
  const combo: Combo<PartyRef> = combobox<Hit>({
    label: o.label,
    path: o.path,
    hint: o.hint ?? 'type a name or an alias; small misspellings are fine',
    search: (q) => searchParties(q, o.kinds),
    render: option,
    text: (p) => p.name,
    extra: o.canCreate ? (q) => ({ label: q ? `＋ Create a new party “${q}”` : '＋ Create a new party', run: (name) => openCreator(name) }) : undefined,
    onPick: (p) => o.onPick?.(p),
  });

  function openCreator(name: string) {
    const nameInput = h('input', { name: 'name', value: name, dir: 'auto', required: true });
    const kinds = (o.kinds?.length ? o.kinds : PARTY_KINDS).map((k): [string, string] => [k, humanize(k)]);
    const kind = select('kind', kinds, o.kinds?.[0] ?? 'STATE');
    const aliases = h('input', { name: 'aliases', dir: 'auto', placeholder: 'e.g. Turkey, Turkiye' });
    const country = h('input', { name: 'country', maxlength: '2', placeholder: 'e.g. TR', class: 'short' });
    const out = h('div');
    const create = h('button', { type: 'button' }, 'Create the party');
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => { creator.replaceChildren(); creator.hidden = true; } }, 'Cancel');
    const keys = idempotencyKeys();
    creator.replaceChildren(
      h('p', { class: 'inline-title' }, `New party for “${o.label}”`),
      h(
        'div',
        { class: 'grid2' },
        field('Name', nameInput, { path: 'name slug' }),
        field('Kind', kind, { path: 'kind' }),
        field('Also known as', aliases, { hint: 'other names and spellings, separated by commas', path: 'aliases' }),
        field('Country', country, { hint: 'two letters, optional', path: 'country' }),
      ),
      h('div', { class: 'toolbar' }, create, cancel),
      out,
    );
    creator.hidden = false;
    nameInput.focus();
    onSubmitButton(create, creator, out, keys, async (keyFor) => {
      const body = {
        name: nameInput.value.trim(),
        kind: kind.value,
        aliases: aliases.value.split(',').map((a) => a.trim()).filter(Boolean),
        ...(country.value.trim() && { country: country.value.trim().toUpperCase() }),
      };
      const party = await post<PartyRef>('/v1/parties', body, keyFor(body));
      creator.replaceChildren(saved('Created ', bdi(party.name), '.'));
      combo.set(party);
      o.onPick?.(party);
      combo.input.focus();
    });
  }

  combo.el.append(creator);
  return combo;
}

/** Several parties (a claim's subjects): each pick adds a removable chip. */
export function partyListPicker(o: Omit<PartyPickerOptions, 'onPick'>, initial: PartyRef[] = []) {
  const chosen = new Map<string, PartyRef>(initial.map((p) => [p.id, p]));
  const chips = h('ul', { class: 'chips', 'aria-label': `${o.label}: chosen` });
  const draw = () =>
    chips.replaceChildren(
      ...[...chosen.values()].map((p) =>
        h(
          'li',
          { class: 'chip' },
          bdi(p.name),
          ' ',
          h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${p.name}`, onclick: () => (chosen.delete(p.id), draw()) }, '×'),
        ),
      ),
    );
  const picker = partyPicker({
    ...o,
    onPick: (p) => {
      if (!p) return;
      chosen.set(p.id, p);
      draw();
      picker.set(null);
    },
  });
  draw();
  picker.el.append(chips);
  return { el: picker.el, values: () => [...chosen.values()] };
}
