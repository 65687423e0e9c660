import { post, type Contestation, type PartyRef, type Positions, type Position, type Stance } from '../api';
import type { View } from '../context';
import { bdi, counted, h, humanize } from '../dom';
import { claimLink, contestationBadge, empty, field, problemBox, select } from '../ui';

/*
 * Check a draft (SPEC §6, §7): paste copy, see each sentence the ledger knows
 * highlighted in place by severity; open one for what the ledger records,
 * the positions side by side and the attributed wording to paste.
 * Self-contained: its styles come with it, as a constructed style sheet
 * (the page's content policy allows no inline <style>).
 */

type Verdict = 'stated-as-fact' | 'misattributed' | 'unattributed' | 'one-sided' | 'attributed';
type Finding = {
  start: number;
  end: number;
  text: string;
  claim: { id: string; statement: string; contestation: Contestation; positions: Positions; counteredBy: PartyRef[]; attributedSummary: string };
  score: number;
  polarity: 'affirms' | 'negates';
  attributedTo: { party: PartyRef; stance: Stance }[];
  verdict: Verdict;
  severity: 'high' | 'medium' | 'low';
  message: string;
  suggestion: string;
};
type DraftCheck = { language: string; sentences: number; findings: Finding[] };

const LANGUAGES: [string, string][] = [['', 'detect'], ['en', 'English'], ['tr', 'Turkish'], ['ar', 'Arabic'], ['fr', 'French'], ['es', 'Spanish'], ['de', 'German']];
const VERDICT_TEXT: Record<Verdict, string> = {
  'stated-as-fact': 'Stated as fact',
  misattributed: 'Misattributed',
  unattributed: 'Unattributed',
  'one-sided': 'One-sided',
  attributed: 'Attributed',
};

const STYLE = `
.draft-form textarea { width: 100%; min-height: 12rem; font: inherit; line-height: 1.5; }
.draft-text { white-space: pre-wrap; line-height: 1.9; padding: 1rem; border: 1px solid #ccd; border-radius: 6px; background: #fff; }
.draft-mark { border: 0; padding: 0 .1rem; font: inherit; cursor: pointer; border-radius: 3px; color: inherit; text-align: start; }
.draft-mark.sev-high { background: #fbd0cc; box-shadow: inset 0 -2px #c0392b; }
.draft-mark.sev-medium { background: #fde9b8; box-shadow: inset 0 -2px #c98a00; }
.draft-mark.sev-low { background: #d6efd9; box-shadow: inset 0 -2px #2e7d32; }
.draft-mark[aria-expanded="true"] { outline: 2px solid #223; }
.draft-findings { list-style: none; padding: 0; }
.draft-finding { border: 1px solid #ccd; border-left: 6px solid #999; border-radius: 6px; margin: .75rem 0; padding: .5rem .75rem; background: #fff; }
.draft-finding.sev-high { border-left-color: #c0392b; } .draft-finding.sev-medium { border-left-color: #c98a00; } .draft-finding.sev-low { border-left-color: #2e7d32; }
.draft-finding summary { cursor: pointer; font-weight: 600; }
.draft-verdict { display: inline-block; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; padding: .1rem .4rem; border-radius: 3px; background: #eef; margin-inline-end: .5rem; }
.draft-sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .75rem; margin: .5rem 0; }
.draft-side { border: 1px solid #dde; border-radius: 4px; padding: .4rem .6rem; }
.draft-side h4 { margin: 0 0 .3rem; font-size: .9rem; }
.draft-side ul { margin: 0; padding-inline-start: 1.1rem; }
.draft-suggestion { margin: .5rem 0; padding: .5rem .75rem; border-inline-start: 4px solid #2e7d32; background: #f3faf4; }
`;

let sheet: CSSStyleSheet | undefined;
function adoptStyles(): void {
  if (sheet) return;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

const cp = (text: string) => Array.from(text);

function positionItem(p: Position): HTMLElement {
  return h('li', null, h('strong', null, bdi(p.party.name)), p.speaker ? [' (', bdi(p.speaker.name), ')'] : null, ': “', bdi(p.quote), '” — ', bdi(p.source.title));
}

/** The other side as the ledger has it: who denies or questions it, and who counters it with a claim of their own. */
function sides(positions: Positions, counteredBy: PartyRef[]): HTMLElement {
  const box = (title: string, body: HTMLElement) => h('div', { class: 'draft-side' }, h('h4', null, title), body);
  const side = (title: string, list: Position[]) => box(title, list.length ? h('ul', null, list.map(positionItem)) : h('p', { class: 'empty' }, 'nobody'));
  const opposing = [...positions.denies, ...positions.questions];
  return h(
    'div',
    { class: 'draft-sides' },
    side('Affirms', positions.affirms),
    opposing.length || !counteredBy.length ? side('Denies or questions', opposing) : null,
    counteredBy.length ? box('Counters it with a claim of its own', h('ul', null, counteredBy.map((p) => h('li', null, h('strong', null, bdi(p.name)))))) : null,
    positions.retracts.length ? side('Retracted', positions.retracts) : null,
  );
}

function findingCard(f: Finding, i: number): HTMLElement {
  const copied = h('span', { role: 'status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy suggestion');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(f.suggestion);
      copied.textContent = ' Copied.';
    } catch {
      copied.textContent = ' Select the wording above to copy it.';
    }
  });
  const attributed = f.attributedTo.length
    ? h('p', null, 'The sentence attributes it to ', f.attributedTo.map((a, k) => [k ? ', ' : '', bdi(a.party.name), ` (${humanize(a.stance).toLowerCase()})`]), '.')
    : h('p', null, 'The sentence attributes it to nobody.');
  return h(
    'li',
    { class: `draft-finding sev-${f.severity}` },
    h(
      'details',
      { id: `draft-finding-${i}` },
      h('summary', null, h('span', { class: 'draft-verdict' }, VERDICT_TEXT[f.verdict]), bdi(f.text)),
      h('p', { class: 'draft-message' }, f.message),
      attributed,
      h('p', null, 'Claim: ', claimLink(f.claim.id, f.claim.statement), ' ', contestationBadge(f.claim.contestation), ` · match ${Math.round(f.score * 100)} %`, f.polarity === 'negates' ? ' · the sentence negates it' : ''),
      sides(f.claim.positions, f.claim.counteredBy),
      h('p', null, h('strong', null, 'Attributed wording to paste:')),
      h('blockquote', { class: 'draft-suggestion', dir: 'auto' }, f.suggestion),
      copy,
      copied,
    ),
  );
}

/** The draft as typed, each finding's sentence a button that opens its card. */
function highlighted(text: string, findings: Finding[], open: (i: number) => void): HTMLElement {
  const chars = cp(text);
  const out = h('div', { class: 'draft-text', dir: 'auto', 'aria-label': 'The draft, with the findings highlighted' });
  let at = 0;
  findings.forEach((f, i) => {
    if (f.start < at) return;
    out.append(chars.slice(at, f.start).join(''));
    const mark = h(
      'button',
      { type: 'button', class: `draft-mark sev-${f.severity}`, 'aria-expanded': 'false', 'aria-controls': `draft-finding-${i}`, title: `${VERDICT_TEXT[f.verdict]}: ${f.message}` },
      chars.slice(f.start, f.end).join(''),
    );
    mark.addEventListener('click', () => open(i));
    out.append(mark);
    at = f.end;
  });
  out.append(chars.slice(at).join(''));
  return out;
}

export const draftView: View = async () => {
  adoptStyles();
  const textarea = h('textarea', { name: 'text', required: true, dir: 'auto', placeholder: 'Paste the draft here' });
  const form = h(
    'form',
    { class: 'draft-form', 'aria-label': 'Check a draft' },
    field('Draft', textarea),
    field('Language', select('language', LANGUAGES, '')),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Check draft')),
  );
  const results = h('div', { 'aria-live': 'polite' });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const text = String(data.get('text') ?? '');
    const language = String(data.get('language') ?? '');
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    button.disabled = true;
    results.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Checking…'));
    try {
      const check = await post<DraftCheck>('/v1/drafts/check', language ? { text, language } : { text });
      results.replaceChildren(render(text, check));
    } catch (err) {
      results.replaceChildren(problemBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'draft-check' },
    h('h1', { tabindex: '-1' }, 'Check a draft'),
    h('p', null, 'Finds the sentences that state as fact what the ledger records as one party’s position, and offers the attributed wording.'),
    form,
    results,
  );
};

function render(text: string, check: DraftCheck): HTMLElement {
  const summary = h('p', { class: 'draft-summary' }, `${counted(check.sentences, 'sentence')} (${check.language}), ${counted(check.findings.length, 'finding')}.`);
  if (!check.findings.length) return h('div', null, summary, empty('No sentence of this draft says what a claim of the ledger says.'));
  const cards = check.findings.map(findingCard);
  const open = (i: number) => {
    const details = cards[i]!.querySelector('details')!;
    details.open = true;
    details.scrollIntoView({ block: 'nearest' });
    (details.querySelector('summary') as HTMLElement).focus();
    marks.querySelectorAll('.draft-mark').forEach((m) => m.setAttribute('aria-expanded', String(m.getAttribute('aria-controls') === details.id)));
  };
  const marks = highlighted(text, check.findings, open);
  return h('div', null, summary, marks, h('h2', null, 'Findings'), h('ol', { class: 'draft-findings' }, cards));
}
