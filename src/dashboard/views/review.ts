import { call, EVIDENCE_RELATIONS, get, post, RATINGS, roleAtLeast, type Dossier, type Page, type PartyRef, type Review, type ReviewStatus } from '../api';
import type { View } from '../context';
import { bdi, h, humanize, time } from '../dom';
import { onSubmit, showProblem } from '../forms';
import { actionButton, claimLink, empty, field, select, statusBadge } from '../ui';
import { partyPicker } from '../widgets/party-picker';
import { verdictCard } from './claim';

type SourceOption = { id: string; title: string };
const REVIEWER_KINDS = ['MEDIA', 'ORGANIZATION'];
type ReviewInput = { reviewerId: string; rating: string; ratingLabel: string; summary: string; evidence: { sourceId?: string; url?: string; relation: string; note?: string }[] };

/** Moves offered from each status; the API decides (and explains a refusal). */
const MOVES: Record<ReviewStatus, { to: ReviewStatus; label: string; secondary?: boolean }[]> = {
  DRAFT: [{ to: 'IN_REVIEW', label: 'Submit for review' }],
  IN_REVIEW: [{ to: 'PUBLISHED', label: 'Publish' }, { to: 'DRAFT', label: 'Send back to draft', secondary: true }],
  PUBLISHED: [{ to: 'WITHDRAWN', label: 'Withdraw', secondary: true }],
  WITHDRAWN: [],
};

function sourcesOf(claim: Dossier): SourceOption[] {
  const seen = new Map<string, string>();
  for (const a of claim.history) seen.set(a.source.id, a.source.title);
  return [...seen].map(([id, title]) => ({ id, title }));
}

/** The verdict form: reviewer, rating, the desk's own label, summary, evidence rows. */
function reviewForm(parties: PartyRef[], sources: SourceOption[], initial?: Review) {
  // The verdict is a newsroom's or a fact-checker's: only MEDIA and ORGANIZATION parties review.
  const reviewers = parties.filter((p) => REVIEWER_KINDS.includes(p.kind)).sort((a, b) => Number(b.kind === 'MEDIA') - Number(a.kind === 'MEDIA') || a.name.localeCompare(b.name));
  if (initial && !reviewers.some((p) => p.id === initial.reviewer.id)) reviewers.unshift(initial.reviewer);
  const reviewer = select('reviewerId', [['', 'Choose the newsroom or fact-checker'], ...reviewers.map((p): [string, string] => [p.id, `${p.name} (${p.kind.toLowerCase()})`])], initial?.reviewer.id ?? (reviewers.length === 1 ? reviewers[0]!.id : ''));
  const newsroom = partyPicker({
    label: 'Your newsroom, if it is not in the list',
    kinds: REVIEWER_KINDS,
    canCreate: true,
    hint: 'find it or create it; it is then chosen above',
    onPick: (p) => {
      if (!p) return;
      if (![...reviewer.options].some((o) => o.value === p.id)) reviewer.append(h('option', { value: p.id }, `${p.name} (${p.kind.toLowerCase()})`));
      reviewer.value = p.id;
    },
  });
  const rating = select('rating', RATINGS.map((r): [string, string] => [r, humanize(r)]), initial?.rating ?? 'DISPUTED');
  const ratingLabel = h('input', { name: 'ratingLabel', required: true, maxlength: '200', dir: 'auto', value: initial?.ratingLabel ?? '' });
  const summary = h('textarea', { name: 'summary', required: true, rows: '6', dir: 'auto' });
  summary.value = initial?.summary ?? '';
  const rows = h('ol', { class: 'evidence-rows' });

  const addRow = (e?: Review['evidence'][number]) => {
    const src = select('evidence-source', [['', 'A web address (URL)'], ...sources.map((s): [string, string] => [s.id, s.title])], e?.sourceId ?? '');
    const url = h('input', { name: 'evidence-url', type: 'url', placeholder: 'https://…', value: e?.sourceId ? '' : (e?.url ?? '') });
    const relation = select('evidence-relation', EVIDENCE_RELATIONS.map((r): [string, string] => [r, humanize(r)]), e?.relation ?? 'CONTEXT');
    const note = h('input', { name: 'evidence-note', dir: 'auto', value: e?.note ?? '' });
    const urlField = field('URL', url);
    const sync = () => (urlField.hidden = src.value !== '');
    src.addEventListener('change', sync);
    sync();
    const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove');
    const li = h('li', { class: 'evidence-row' }, field('Evidence source', src), urlField, field('Relation', relation), field('Note', note), h('div', { class: 'field actions' }, remove));
    remove.addEventListener('click', () => li.remove());
    rows.append(li);
  };
  for (const e of initial?.evidence ?? []) addRow(e);

  const form = h(
    'form',
    { class: 'review-form' },
    h('div', { class: 'grid2' }, field('Reviewing party', reviewer, { hint: 'the newsroom or fact-checker whose verdict this is', path: 'reviewerId' }), field('Rating', rating, { path: 'rating' })),
    h('details', { class: 'adder' }, h('summary', null, 'Add your newsroom'), newsroom.el),
    field('Rating in your own words', ratingLabel, { hint: 'kept as written, in any language', path: 'ratingLabel' }),
    field('Summary', summary, { path: 'summary' }),
    h('fieldset', null, h('legend', null, 'Evidence'), rows, h('button', { type: 'button', class: 'secondary small', onclick: () => addRow() }, 'Add evidence')),
  );

  const values = (): ReviewInput => ({
    reviewerId: reviewer.value,
    rating: rating.value,
    ratingLabel: ratingLabel.value.trim(),
    summary: summary.value.trim(),
    evidence: [...rows.querySelectorAll('li')].flatMap((li) => {
      const get = (name: string) => (li.querySelector(`[name="${name}"]`) as HTMLInputElement).value.trim();
      const sourceId = get('evidence-source');
      const url = get('evidence-url');
      const note = get('evidence-note');
      // A row added but never filled in is not evidence: it is left out rather than refused.
      if (!sourceId && !url && !note) return [];
      return [{ ...(sourceId ? { sourceId } : { url }), relation: get('evidence-relation'), ...(note && { note }) }];
    }),
  });
  return { form, values };
}

async function formData(claimId: string) {
  const [claim, ...pages] = await Promise.all([get<Dossier>(`/v1/claims/${claimId}`), ...REVIEWER_KINDS.map((kind) => get<Page<PartyRef>>('/v1/parties', { kind, limit: 200 }))]);
  return { claim, parties: pages.flatMap((p) => p.data), sources: sourcesOf(claim) };
}

/** #/claims/<id>/review: a new draft verdict. */
export const newReviewView: View = async (ctx) => {
  const { claim, parties, sources } = await formData(ctx.params[0]!);
  if (!roleAtLeast(ctx.me, 'REVIEWER')) return empty(`Writing verdicts needs a REVIEWER key; yours is ${ctx.me.role}.`);
  const { form, values } = reviewForm(parties, sources);
  const out = h('div', { class: 'form-status' });
  const save = h('button', { type: 'submit' }, 'Save draft');
  form.append(h('div', { class: 'toolbar' }, save, h('a', { href: `#/claims/${claim.id}`, class: 'button secondary' }, 'Cancel')), out);
  onSubmit(form, out, async (keyFor) => {
    const body = values();
    const review = await post<Review>(`/v1/claims/${claim.id}/reviews`, body, keyFor(body));
    ctx.go(`#/reviews/${review.id}`);
  });
  return h(
    'section',
    null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' › ', claimLink(claim.id, 'Claim'), ' › New verdict'),
    h('h1', { tabindex: '-1' }, 'Write a verdict'),
    h('p', { class: 'lede' }, 'On: ', claimLink(claim.id, claim.statement), h('br'), h('small', { dir: 'auto' }, claim.attributedSummary)),
    form,
  );
};

/** #/reviews/<id>: a review, its workflow, and (while it is a draft or in review) its editor. */
export const reviewView: View = async (ctx) => {
  const answer = await call<Review>('GET', `/v1/reviews/${ctx.params[0]!}`);
  const review = answer.body;
  let etag = answer.etag ?? '';
  const canWrite = roleAtLeast(ctx.me, 'REVIEWER');
  const editable = canWrite && (review.status === 'DRAFT' || review.status === 'IN_REVIEW');
  const [{ claim, parties, sources }, settings] = await Promise.all([formData(review.claimId), get<{ allowSelfPublish: boolean }>('/v1/settings')]);
  // While self-publishing is off, the author is not offered Publish: a second reviewer publishes.
  const ownDraft = review.author.id === ctx.me.actorId && !settings.allowSelfPublish;
  const offered = MOVES[review.status].filter((m) => !(ownDraft && m.to === 'PUBLISHED'));

  const out = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const moves = h('div', { class: 'toolbar workflow' });
  if (canWrite) {
    for (const m of offered) {
      const reason = m.to === 'WITHDRAWN' ? h('input', { id: 'withdraw-reason', name: 'reason', placeholder: 'why it is withdrawn' }) : null;
      if (reason) moves.append(field('Reason', reason));
      moves.append(
        actionButton(
          m.label,
          async () => {
            await post<Review>(`/v1/reviews/${review.id}/transitions`, { to: m.to, ...(reason?.value.trim() && { reason: reason.value.trim() }) });
            ctx.refresh();
          },
          out,
          m.secondary ? { class: 'secondary' } : {},
        ),
      );
    }
  }

  let editor: HTMLElement | null = null;
  if (editable) {
    const { form, values } = reviewForm(parties, sources, review);
    const save = h('button', { type: 'submit' }, 'Save changes');
    form.append(h('div', { class: 'toolbar' }, save));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      save.disabled = true;
      out.replaceChildren();
      try {
        const saved = await call<Review>('PATCH', `/v1/reviews/${review.id}`, values(), { 'If-Match': etag });
        etag = saved.etag ?? etag;
        out.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Saved (version ${saved.body.version}).`));
      } catch (err) {
        showProblem(form, out, err);
      } finally {
        save.disabled = false;
      }
    });
    editor = h('section', { 'aria-labelledby': 'edit-h' }, h('h2', { id: 'edit-h' }, 'Edit'), form);
  }

  return h(
    'section',
    { class: 'review' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, 'Queue'), ' › ', claimLink(claim.id, 'Claim'), ' › Verdict'),
    h('h1', { tabindex: '-1' }, 'Verdict ', statusBadge(review.status)),
    h('p', { class: 'lede' }, 'On: ', claimLink(claim.id, claim.statement)),
    h(
      'p',
      { class: 'meta' },
      `Version ${review.version}, last changed `,
      time(review.updatedAt),
      review.withdrawn ? [' · withdrawn by ', bdi(review.withdrawn.by.name), review.withdrawn.reason ? `: ${review.withdrawn.reason}` : ''] : null,
    ),
    verdictCard(review),
    canWrite
      ? h(
          'section',
          { 'aria-labelledby': 'flow-h' },
          h('h2', { id: 'flow-h' }, 'Workflow'),
          h('p', { class: 'hint' }, 'Draft → in review → published. A second reviewer publishes: the author cannot publish their own verdict.'),
          ownDraft && review.status === 'IN_REVIEW' ? h('p', { class: 'notice', 'data-testid': 'awaits-second' }, 'You wrote this verdict: another reviewer publishes it.') : null,
          offered.length ? moves : empty('No further moves.'),
        )
      : null,
    out,
    editor,
  );
};
