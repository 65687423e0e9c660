import { get, post, STANCES, type ClaimSummary, type Dossier, type Me, type Page, type PartyRef, type Positions, type PositionSummary, type SourceDetail } from '../api';
import { bdi, h, humanize } from '../dom';
import { onSubmit } from '../forms';
import { anchorBody, type TextAnchor } from '../lib/anchor';
import { debounced } from '../lib/latest';
import { contestationBadge, field, positionLine, select } from '../ui';
import { affiliationText, heldOn, partyDetail, partyListPicker, partyPicker } from './party-picker';

/*
 * Recording what a passage says: who says it (the party, and the person
 * speaking for it), with which stance, how it is quoted, when and where; and
 * on which claim — one already in the ledger ("same claim?") or a new one.
 */

export const summaryOf = (p: Positions): PositionSummary => ({
  affirms: p.affirms.map((x) => x.party),
  denies: p.denies.map((x) => x.party),
  questions: p.questions.map((x) => x.party),
  retracts: p.retracts.map((x) => x.party),
});

type ClaimChoice = { id: string; statement: string };
export type Recorded = { claimId: string; statement: string; party: string; stance: string; newClaim: boolean };

const OPENING_QUOTES = /["“„«‹'‘‚「『]\s*$/u;

export type AssertionFormOptions = {
  me: Me;
  source: SourceDetail;
  anchor: TextAnchor;
  /** The claim the editor came to add a stance to (#/sources/<id>?claim=<claim>). */
  claim?: ClaimChoice | null;
  onSaved(r: Recorded): void;
  onCancel(): void;
};

export function assertionForm(o: AssertionFormOptions): HTMLFormElement {
  const { anchor, source } = o;
  const text = source.text ?? '';
  const before = Array.from(text).slice(Math.max(0, anchor.start - 3), anchor.start).join('');
  const quoteKind = select('quoteKind', [['DIRECT', 'Direct: the speaker’s own words'], ['INDIRECT', 'Indirect: the publisher’s paraphrase']], OPENING_QUOTES.test(before) ? 'DIRECT' : 'INDIRECT');
  const stance = select('stance', STANCES.map((s): [string, string] => [s, humanize(s)]), 'AFFIRMS');
  const assertedAt = h('input', { name: 'assertedAt', type: 'date', value: source.publishedAt?.slice(0, 10) ?? '' });
  const occasion = h('input', { name: 'occasion', dir: 'auto', placeholder: 'e.g. press conference in Istanbul' });
  const speaksFor = h('div', { class: 'speaks-for', 'aria-live': 'polite' });

  const party = partyPicker({ label: 'Party (on whose behalf)', path: 'assertion.partyId partyId', canCreate: true });
  const speaker = partyPicker({
    label: 'Speaker',
    path: 'assertion.speakerId speakerId',
    kinds: ['PERSON'],
    canCreate: true,
    hint: 'optional: the person who said it; choosing one offers the party they speak for',
    onPick: () => void offerParties(),
  });
  speaker.el.append(speaksFor);
  assertedAt.addEventListener('change', () => void offerParties());

  /** The parties the chosen speaker speaks for on the assertion's date, as one-click choices. */
  async function offerParties() {
    const person = speaker.value();
    speaksFor.replaceChildren();
    if (!person) return;
    const detail = await partyDetail(person.id);
    const day = assertedAt.value || null;
    const held = detail.affiliations.filter((a) => heldOn(a, day));
    if (!held.length) {
      speaksFor.append(h('p', { class: 'hint' }, detail.affiliations.length ? `No affiliation of ${person.name} on that date.` : `No affiliation recorded for ${person.name}.`));
      return;
    }
    if (!party.value() && held.length === 1) party.set(held[0]!.party);
    speaksFor.append(
      h('p', { class: 'hint' }, day ? `Speaks for, on ${day}:` : 'Speaks for:'),
      h(
        'div',
        { class: 'toolbar tight' },
        held.map((a) => h('button', { type: 'button', class: 'secondary small', onclick: () => party.set(a.party) }, `Speaking for ${a.party.name} (${affiliationText(a)})`)),
      ),
    );
  }

  // The claim: an existing one, or a new one with its topics and subjects.
  let chosen: ClaimChoice | null = o.claim ?? null;
  const statement = h('textarea', { name: 'statement', rows: '2', dir: 'auto', maxlength: '1000' });
  const suggestions = h('div', { class: 'suggestions', 'aria-live': 'polite' });
  const topics = h('input', { name: 'topics', placeholder: 'e.g. ceasefire-violations, humanitarian-aid' });
  const subjects = partyListPicker({ label: 'Subjects (whom the claim is about)', path: 'subjects', canCreate: true });
  const newClaim = h(
    'div',
    { class: 'new-claim' },
    field('Claim, worded neutrally', statement, { hint: 'what is claimed, without who claims it; matching claims already in the ledger are offered as you type', path: 'statement' }),
    suggestions,
    h('div', { class: 'grid2' }, field('Topics', topics, { hint: 'lowercase words joined by hyphens, separated by commas', path: 'topics' }), subjects.el),
  );
  const chosenBox = h('div', { class: 'chosen-claim' });
  const submit = h('button', { type: 'submit' }, 'Record the assertion');

  const drawChoice = () => {
    newClaim.hidden = !!chosen;
    chosenBox.hidden = !chosen;
    submit.textContent = chosen ? 'Add the assertion to this claim' : 'Record the assertion as a new claim';
    if (chosen) {
      chosenBox.replaceChildren(
        h('p', null, 'Adding to the claim: ', h('strong', { dir: 'auto' }, chosen.statement)),
        h('button', { type: 'button', class: 'secondary small', onclick: () => ((chosen = null), drawChoice(), statement.focus()) }, 'Not this claim: choose another or a new one'),
      );
    }
  };

  // "Same claim?": the ledger's claims matching the words typed so far; an answer to older words is dropped.
  const offerSameClaims = debounced(300, async (isCurrent) => {
    const q = statement.value.trim();
    if (Array.from(q).length < 3) return void suggestions.replaceChildren();
    let hits: ClaimSummary[];
    try {
      hits = (await get<Page<ClaimSummary>>('/v1/claims', { q, limit: 5 })).data;
    } catch {
      if (isCurrent()) suggestions.replaceChildren(h('p', { class: 'hint' }, 'Matching claims could not be searched just now; type again to retry.'));
      return;
    }
    if (!isCurrent()) return;
    suggestions.replaceChildren(
      hits.length
        ? h(
            'div',
            { class: 'same-claim', 'data-testid': 'same-claim' },
            h('p', { class: 'suggest-title' }, 'Same claim? These are already in the ledger:'),
            h(
              'ul',
              null,
              hits.map((c) =>
                h(
                  'li',
                  null,
                  contestationBadge(c.contestation),
                  ' ',
                  h('span', { dir: 'auto', class: 'suggest-statement' }, c.statement),
                  positionLine(summaryOf(c.positions)),
                  h('button', { type: 'button', class: 'small', onclick: () => ((chosen = { id: c.id, statement: c.statement }), drawChoice()) }, 'Add to this claim'),
                ),
              ),
            ),
          )
        : h('p', { class: 'hint' }, 'No claim in the ledger matches yet: this will be a new claim.'),
    );
  });
  statement.addEventListener('input', offerSameClaims);
  drawChoice();

  const out = h('div', { class: 'form-status' });
  const form = h(
    'form',
    { class: 'panel assertion-form', 'aria-labelledby': 'assertion-h' },
    h('h2', { id: 'assertion-h', tabindex: '-1' }, 'Record what is said here'),
    h(
      'div',
      { class: 'field', 'data-path': 'assertion.quote quote assertion.anchor anchor' },
      h('span', { class: 'label' }, 'Quote (from your selection)'),
      h('blockquote', { dir: 'auto', 'data-testid': 'selected-quote' }, bdi(anchor.exact)),
      h(
        'small',
        { class: 'hint' },
        `characters ${anchor.start}–${anchor.end} of the text`,
        anchor.occurrences > 1 ? ` · these words occur ${anchor.occurrences} times: the words around them are kept to tell which` : '',
      ),
      h('p', { class: 'field-error', hidden: true }),
    ),
    h('div', { class: 'grid2' }, speaker.el, party.el, field('Stance', stance, { path: 'assertion.stance stance' }), field('Quote kind', quoteKind, { path: 'assertion.quoteKind quoteKind' })),
    h(
      'div',
      { class: 'grid2' },
      field('Said on', assertedAt, { hint: 'leave empty when the date is not known', path: 'assertion.assertedAt assertedAt' }),
      field('Occasion', occasion, { hint: 'optional', path: 'assertion.occasion occasion' }),
    ),
    h('fieldset', null, h('legend', null, 'Which claim'), chosenBox, newClaim),
    h('div', { class: 'toolbar' }, submit, h('button', { type: 'button', class: 'secondary', onclick: o.onCancel }, 'Cancel')),
    out,
  );

  onSubmit(form, out, async (keyFor) => {
    for (const picker of [speaker, party]) picker.assertChosen();
    const p = party.value();
    const sp = speaker.value();
    const assertion = {
      partyId: p?.id ?? '',
      ...(sp && { speakerId: sp.id }),
      sourceId: source.id,
      stance: stance.value,
      quote: anchor.exact,
      quoteKind: quoteKind.value,
      anchor: anchorBody(anchor),
      ...(assertedAt.value && { assertedAt: assertedAt.value }),
      ...(occasion.value.trim() && { occasion: occasion.value.trim() }),
    };
    let claimId: string;
    let claimStatement: string;
    if (chosen) {
      await post(`/v1/claims/${chosen.id}/assertions`, assertion, keyFor(assertion));
      claimId = chosen.id;
      claimStatement = chosen.statement;
    } else {
      const body = {
        statement: statement.value.trim(),
        topics: topics.value.split(',').map((t) => t.trim()).filter(Boolean),
        subjects: subjects.values().map((s: PartyRef) => s.id),
        assertion,
      };
      const claim = await post<Dossier>('/v1/claims', body, keyFor(body));
      claimId = claim.id;
      claimStatement = claim.statement;
    }
    o.onSaved({ claimId, statement: claimStatement, party: p?.name ?? '', stance: stance.value, newClaim: !chosen });
  });
  return form;
}
