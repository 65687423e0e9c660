import { get, roleAtLeast, type Dossier, type SourceDetail } from '../api';
import type { View } from '../context';
import { bdi, h, humanize, publishedOn } from '../dom';
import { anchorFromSelection, occurrencesOf, type TextAnchor } from '../lib/anchor';
import { segmentText } from '../lib/highlight';
import { selectIn, selectionIn } from '../lib/text-selection';
import { claimLink, contestationBadge, empty, field, positionLine } from '../ui';
import { assertionForm, type Recorded } from '../widgets/assertion-form';

type Quote = SourceDetail['assertions'][number];

/** What was just recorded from a source, shown once when its view is drawn again. */
let flash: { sourceId: string; recorded: Recorded } | null = null;

/**
 * A source's text with every anchored quote highlighted and linked to its claim. For an EDITOR,
 * selecting a passage (with the mouse, or found by typing it) starts an assertion quoting it.
 */
export const sourceView: View = async (ctx) => {
  const source = await get<SourceDetail>(`/v1/sources/${ctx.params[0]!}?limit=200`);
  const claimId = ctx.query.get('claim');
  const forClaim = claimId ? await get<Dossier>(`/v1/claims/${claimId}`) : null;
  const editor = roleAtLeast(ctx.me, 'EDITOR') && !!source.text;
  const anchored = source.assertions
    .map((a, i) => ({ a, n: i + 1, start: a.anchor?.start ?? -1, end: a.anchor?.end ?? -1 }))
    .filter((r) => r.start >= 0 && r.end > r.start);

  const text = source.text
    ? h(
        'div',
        { class: `source-text${editor ? ' selectable' : ''}`, dir: 'auto', lang: source.language ?? undefined, 'data-testid': 'source-text' },
        segmentText(source.text, anchored).map((seg) => {
          if (!seg.marks.length) return document.createTextNode(seg.text);
          const first = seg.marks[0]!;
          const label = seg.marks.map((m) => `${m.a.party.name} ${m.a.stance.toLowerCase()}: ${m.a.claim.statement}`).join('; ');
          return h(
            'mark',
            { class: `stance-${first.a.stance.toLowerCase()}${seg.marks.length > 1 ? ' overlap' : ''}`, 'data-assertion': first.a.assertionId },
            h('a', { href: `#/claims/${first.a.claim.id}`, title: label, draggable: 'false' }, seg.text),
            h('sup', { 'data-anchor-skip': '', 'aria-hidden': 'true' }, seg.marks.map((m) => m.n).join(',')),
          );
        }),
      )
    : empty('This source has no stored text; its quotes are listed below.');

  const side = h('aside', { class: 'record-side', 'aria-label': 'Record from this source' });
  const layout = h('div', { class: editor ? 'record-layout' : '' }, h('div', { class: 'record-text' }, text), editor ? side : null);

  if (editor && source.text && text instanceof HTMLElement) {
    const body = source.text;
    let pending: TextAnchor | null = null;
    let recording: TextAnchor | null = null; // the passage of the open form
    const selectionBox = h('div', { class: 'selection-box', 'aria-live': 'polite', 'data-testid': 'selection' });
    const start = h('button', { type: 'button', disabled: true }, 'Record an assertion from this passage');

    const showSelection = () => {
      const range = selectionIn(text);
      pending = range ? anchorFromSelection(body, range[0], range[1]) : null;
      start.disabled = !pending;
      selectionBox.replaceChildren(
        pending
          ? h('p', null, 'Selected: ', h('q', { dir: 'auto' }, bdi(preview(pending.exact))), h('br'), h('small', { class: 'hint' }, `characters ${pending.start}–${pending.end}${pending.occurrences > 1 ? `, one of ${pending.occurrences} places with these words` : ''}`))
          : recording
            ? h('p', { class: 'hint' }, 'Recording ', h('q', { dir: 'auto' }, bdi(preview(recording.exact))), ' in the form below. To record another passage instead, select it.')
            : h('p', { class: 'hint' }, 'Select a passage in the text with the mouse, or find it by typing it below.'),
      );
    };
    document.addEventListener('selectionchange', function listen() {
      if (!text.isConnected) return document.removeEventListener('selectionchange', listen);
      showSelection();
    });

    // The keyboard way: type (or paste) the words; each press of the button selects the next place they occur.
    const find = h('input', { id: 'find-passage', dir: 'auto', type: 'search' });
    const findOut = h('p', { class: 'hint', 'aria-live': 'polite' });
    let nth = 0;
    const findNext = h('button', { type: 'button', class: 'secondary' }, 'Select the passage');
    find.addEventListener('input', () => (nth = 0));
    const doFind = () => {
      const places = occurrencesOf(body, find.value);
      if (!find.value || !places.length) return void (findOut.textContent = find.value ? 'These words are not in the text, exactly as typed.' : '');
      const at = places[nth % places.length]!;
      selectIn(text, at, at + find.value.length);
      findOut.textContent = places.length > 1 ? `Place ${(nth % places.length) + 1} of ${places.length}; select again for the next.` : 'Selected.';
      nth += 1;
      showSelection();
    };
    findNext.addEventListener('click', doFind);
    find.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        doFind();
      }
    });

    const formSlot = h('div');
    start.addEventListener('click', () => {
      if (!pending) return;
      // The last save's confirmation is about the passage before: seen beside a new form, it would read as this one's.
      recordedNotice?.remove();
      recording = pending;
      const form = assertionForm({
        me: ctx.me,
        source,
        anchor: pending,
        claim: forClaim ? { id: forClaim.id, statement: forClaim.statement } : null,
        onSaved: (recorded) => {
          flash = { sourceId: source.id, recorded };
          ctx.refresh();
        },
        onCancel: () => {
          recording = null;
          showSelection();
          formSlot.replaceChildren();
          start.focus();
        },
      });
      formSlot.replaceChildren(form);
      (form.querySelector('h2') as HTMLElement).focus();
    });
    showSelection();
    side.append(
      // stays in sight while a long text is scrolled to the passage; the form below it scrolls with the page
      h(
        'div',
        { class: 'record-start' },
        h('h2', null, 'Record from this source'),
        ...(forClaim ? [h('p', { class: 'for-claim' }, 'Adding a stance to: ', claimLink(forClaim.id, forClaim.statement))] : []),
        selectionBox,
        start,
        h('details', { class: 'find' }, h('summary', null, 'Find a passage with the keyboard'), field('Words to find', find), findNext, findOut),
      ),
      formSlot,
    );
  }

  const done = flash?.sourceId === source.id ? flash.recorded : null;
  flash = null;
  const recordedNotice = done
    ? h(
        'p',
        { class: 'ok', role: 'status', 'data-testid': 'recorded' },
        `Recorded: ${done.party} ${done.stance.toLowerCase()} ${done.newClaim ? 'the new claim' : 'the claim'} `,
        claimLink(done.claimId, done.statement),
        '. Select the next passage, or ',
        h('a', { href: `#/claims/${done.claimId}` }, 'open the claim'),
        '.',
      )
    : null;

  return h(
    'article',
    { class: 'source' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/sources' }, 'Sources'), ' › Source'),
    h('h1', { tabindex: '-1', dir: 'auto' }, source.title),
    h(
      'p',
      { class: 'meta' },
      humanize(source.kind),
      source.publisher ? [' · published by ', h('a', { href: `#/parties/${source.publisher.id}` }, bdi(source.publisher.name))] : null,
      source.publishedAt ? [' · ', publishedOn(source.publishedAt)] : null,
      source.language ? ` · ${source.language}` : null,
      source.url ? [' · ', h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, 'original ↗')] : null,
    ),
    recordedNotice,
    forClaim && !source.text ? h('p', { class: 'hint' }, 'This source has no stored text to select a passage from; choose another source.') : null,
    layout,
    h(
      'section',
      { 'aria-labelledby': 'quotes-h' },
      h('h2', { id: 'quotes-h' }, 'Quotes anchored in this source'),
      source.assertions.length ? h('ol', { class: 'quotes' }, source.assertions.map(quoteItem)) : empty('No active assertion quotes this source yet.'),
    ),
  );
};

const preview = (s: string) => (Array.from(s).length > 160 ? `${Array.from(s).slice(0, 157).join('')}…` : s);

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
