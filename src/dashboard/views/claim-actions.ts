import { ApiError, call, post, RELATION_TYPES, type Assertion, type ClaimSummary, type Dossier } from '../api';
import { bdi, h, humanize } from '../dom';
import { idempotencyKeys, onSubmit, onSubmitButton, saved, showProblem } from '../forms';
import { field, select, topicChips } from '../ui';
import { claimPicker } from '../widgets/claim-picker';
import { partyListPicker } from '../widgets/party-picker';

/* What an EDITOR changes on a claim: its wording, its links, a merge, a withdrawal. */

const topicList = (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean);

/** Statement, topics and subjects, saved with If-Match; a stale save keeps her edit and shows what changed. */
export function editClaimSection(claim: Dossier, etag: string, refresh: () => void): HTMLElement {
  let version = etag;
  let original = { statement: claim.statement, topics: claim.topics.join(', ') };
  const statement = h('textarea', { name: 'statement', rows: '2', dir: 'auto', maxlength: '1000' });
  statement.value = claim.statement;
  const topics = h('input', { name: 'topics', value: claim.topics.join(', ') });
  const subjects = partyListPicker({ label: 'Subjects', path: 'subjects', canCreate: true }, claim.subjects);
  const out = h('div', { class: 'form-status', 'aria-live': 'polite' });
  const theirs = h('div', { class: 'theirs' });
  const save = h('button', { type: 'submit' }, 'Save the claim');
  const form = h(
    'form',
    { class: 'panel', 'aria-label': 'Edit the claim' },
    field('Statement', statement, { path: 'statement', hint: 'worded neutrally: what is claimed, not who claims it' }),
    h('div', { class: 'grid2' }, field('Topics', topics, { path: 'topics', hint: 'separated by commas' }), subjects.el),
    theirs,
    save,
    out,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    try {
      const body = { statement: statement.value.trim(), topics: topicList(topics.value), subjects: subjects.values().map((p) => p.id) };
      await call('PATCH', `/v1/claims/${claim.id}`, body, { 'If-Match': version });
      out.replaceChildren(saved('Saved.'));
      refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) staleEdit();
      else showProblem(form, out, err);
    } finally {
      save.disabled = false;
    }
  });

  function staleEdit() {
    const reload = h('button', { type: 'button' }, 'Reload their version (your edit stays in the form)');
    reload.addEventListener('click', async () => {
      reload.disabled = true;
      try {
        const latest = await call<Dossier>('GET', `/v1/claims/${claim.id}`);
        version = latest.etag ?? version;
        // What she changed stays as she wrote it; what she left alone takes their new value.
        const now = { statement: latest.body.statement, topics: latest.body.topics.join(', ') };
        if (statement.value.trim() === original.statement) statement.value = now.statement;
        if (topics.value.trim() === original.topics) topics.value = now.topics;
        original = now;
        theirs.replaceChildren(
          h(
            'div',
            { class: 'notice', 'data-testid': 'their-version' },
            h('p', null, h('strong', null, 'Saved meanwhile by someone else:')),
            h('p', { dir: 'auto' }, latest.body.statement),
            h('p', null, topicChips(latest.body.topics) ?? 'no topics', latest.body.subjects.length ? [' · about ', bdi(latest.body.subjects.map((s) => s.name).join(', '))] : null),
            h('p', { class: 'hint' }, 'Your edit is still in the form above. Change it if needed, then save again.'),
          ),
        );
        out.replaceChildren();
        statement.focus();
      } catch (e) {
        showProblem(form, out, e);
      } finally {
        reload.disabled = false;
      }
    });
    out.replaceChildren(
      h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, 'Someone else changed this claim since you opened it.'), h('p', null, 'Your edit was not saved, and it is kept in the form.'), reload),
    );
  }

  return h('details', { class: 'adder', 'data-testid': 'edit-claim' }, h('summary', null, 'Edit the statement, topics and subjects'), form);
}

const active = (claim: Dossier) => claim.history.filter((a) => !a.withdrawn);

/** "This claim COUNTERS that one": on a party's assertion of this claim, or as an editorial link with a note. */
export function linkClaimSection(claim: Dossier, refresh: () => void): HTMLElement {
  const type = select('type', RELATION_TYPES.map((t): [string, string] => [t, `${humanize(t).toLowerCase()}`]), 'COUNTERS');
  const target = claimPicker({ label: 'The other claim', path: 'targetClaimId', exclude: claim.id });
  const basis = select('basis', [['PARTY', 'A party puts it forward (its assertion of this claim)'], ['EDITORIAL', 'An editorial link by our newsroom']], 'PARTY');
  const assertion = select(
    'assertionId',
    active(claim).map((a): [string, string] => [a.assertionId, `${a.party.name}${a.speaker ? ` (${a.speaker.name})` : ''} ${a.stance.toLowerCase()}: “${short(a.quote)}”`]),
  );
  const note = h('textarea', { name: 'note', rows: '2', dir: 'auto' });
  const assertionField = field('Whose assertion of this claim', assertion, { path: 'assertionId' });
  const noteField = field('Note', note, { path: 'note', hint: 'why the two claims are linked (required for an editorial link)' });
  const sync = () => (assertionField.hidden = basis.value !== 'PARTY');
  basis.addEventListener('change', sync);
  sync();
  const out = h('div', { class: 'form-status' });
  const form = h(
    'form',
    { class: 'panel', 'aria-label': 'Link to another claim' },
    h('div', { class: 'grid2' }, field('This claim …', type, { path: 'type', hint: '… the other claim' }), target.el, field('On what basis', basis, { path: 'basis' }), assertionField),
    noteField,
    h('button', { type: 'submit' }, 'Link the claims'),
    out,
  );
  onSubmit(form, out, async (keyFor) => {
    const body = {
      type: type.value,
      targetClaimId: target.value()?.id ?? '',
      basis: basis.value,
      ...(basis.value === 'PARTY' && { assertionId: assertion.value }),
      ...(note.value.trim() && { note: note.value.trim() }),
    };
    await post(`/v1/claims/${claim.id}/relations`, body, keyFor(body));
    refresh();
  });
  return h('details', { class: 'adder', 'data-testid': 'link-claim' }, h('summary', null, 'Link to another claim (counter-claim, support)'), form);
}

/** Merging this duplicate into the claim it repeats: searched, then confirmed. */
export function mergeSection(claim: Dossier, go: (hash: string) => void): HTMLElement {
  let into: ClaimSummary | null = null;
  const confirm = h('div', { class: 'confirm-box', 'aria-live': 'polite' });
  const target = claimPicker({
    label: 'The original claim, to keep',
    path: 'intoClaimId',
    exclude: claim.id,
    onPick: (c) => {
      into = c;
      drawConfirm();
    },
  });
  const out = h('div', { class: 'form-status' });
  const keys = idempotencyKeys();
  const drawConfirm = () => {
    confirm.replaceChildren();
    if (!into) return;
    const yes = h('button', { type: 'button', class: 'danger' }, 'Merge into the original');
    const n = active(claim).length;
    confirm.append(
      h('p', null, 'Merge ', h('q', { dir: 'auto' }, claim.statement), ' into ', h('q', { dir: 'auto' }, into.statement), '?'),
      h('p', { class: 'hint' }, `Its ${n} active ${n === 1 ? 'assertion moves' : 'assertions move'} to the original, and links to this claim will lead there. A merge cannot be undone.`),
      yes,
    );
    onSubmitButton(yes, box, out, keys, async (keyFor) => {
      const body = { intoClaimId: into!.id };
      await post(`/v1/claims/${claim.id}/merge`, body, keyFor(body));
      go(`#/claims/${into!.id}`);
    });
  };
  const box = h('div', { class: 'panel' }, h('p', { class: 'hint' }, 'When this claim repeats one already in the ledger: find the original.'), target.el, confirm, out);
  return h('details', { class: 'adder', 'data-testid': 'merge-claim' }, h('summary', null, 'Merge this duplicate into another claim'), box);
}

/** A wrong attribution withdrawn with its reason; it stays in the history. */
export function withdrawControl(a: Assertion, refresh: () => void): HTMLElement {
  const slot = h('div', { class: 'withdraw' });
  const open = h('button', { type: 'button', class: 'secondary small' }, 'Withdraw…');
  open.addEventListener('click', () => {
    const reason = h('input', { name: 'reason', dir: 'auto' });
    const out = h('div');
    const yes = h('button', { type: 'button', class: 'small danger' }, 'Withdraw this attribution');
    const no = h('button', { type: 'button', class: 'secondary small', onclick: () => (slot.replaceChildren(open), open.focus()) }, 'Cancel');
    const box = h('div', { class: 'inline-create' }, field(`Why ${a.party.name}’s ${a.stance.toLowerCase()} is withdrawn`, reason, { path: 'reason', hint: 'kept in the history, e.g. “wrongly attributed: Fidan said it”' }), h('div', { class: 'toolbar tight' }, yes, no), out);
    onSubmitButton(yes, box, out, idempotencyKeys(), async (keyFor) => {
      const body = { reason: reason.value.trim() };
      await post(`/v1/assertions/${a.assertionId}/withdraw`, body, keyFor(body));
      refresh();
    });
    slot.replaceChildren(box);
    reason.focus();
  });
  slot.append(open);
  return slot;
}

const short = (s: string) => (Array.from(s).length > 60 ? `${Array.from(s).slice(0, 57).join('')}…` : s);

