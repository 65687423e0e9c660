import type { AppContext } from '../../http/context';
import { loadHits } from '../claims/hits';
import type { ClaimSummaryOut } from '../claims/responses';
import { attribute } from './attribution';
import { findCues, lexiconFor, negationCount, type Lexicon } from './cues';
import { detectLanguage } from './language';
import { candidateQuery, isMatch, scoreText, type TextMatch } from './matching';
import { presentFinding } from './presenter';
import { analyse, candidates, claimTexts, counteringParties, lexemeFrequencies, partyIndex, type ClaimText } from './repository';
import type { CheckDraftInput, DraftCheckOut } from './schema';
import { splitSentences, tokenize } from './text';
import type { Ledger } from './verdict';

/** Claims fetched per sentence from the index, and kept of them (most lexemes shared) for scoring text by text. */
const CANDIDATES_PER_SENTENCE = 8;
const SCORED_PER_SENTENCE = 1;

type Match = { claimId: string; text: ClaimText; match: TextMatch };

/** The claim a sentence says best, if it says one well enough. */
function bestMatch(sentence: Set<string>, claimIds: string[], texts: Map<string, ClaimText[]>): Match | undefined {
  let best: Match | undefined;
  for (const claimId of claimIds) {
    for (const text of texts.get(claimId) ?? []) {
      const match = scoreText(text.lexemes, sentence);
      if (isMatch(match) && (!best || match.score > best.match.score)) best = { claimId, text, match };
    }
  }
  return best;
}

/** The claims worth scoring in full for each sentence: those sharing most lexemes with it. */
function shortlist(lexemes: string[][], found: { i: number; id: string; lexemes: string[] }[]): string[][] {
  const bySentence = lexemes.map(() => [] as { id: string; shared: number }[]);
  for (const c of found) {
    const own = new Set(lexemes[c.i]);
    const shared = c.lexemes.filter((l) => own.has(l)).length;
    if (shared >= 2) bySentence[c.i]!.push({ id: c.id, shared });
  }
  return bySentence.map((list) => list.sort((a, b) => b.shared - a.shared).slice(0, SCORED_PER_SENTENCE).map((c) => c.id));
}

/**
 * POST /v1/drafts/check (SPEC §6): reads only. Sentences are analysed in one
 * statement, their candidate claims come from the draft-vector index in a
 * second, the shortlisted claims' texts in a third; the rest is scored here.
 */
export async function checkDraft(app: AppContext, input: CheckDraftInput): Promise<DraftCheckOut> {
  const db = app.prisma;
  const language = input.language ?? detectLanguage(input.text);
  const sentences = splitSentences(input.text, language);
  const lexicon = lexiconFor(language);
  // The reporting cues ("told reporters", "according to") are how a sentence is said, not what it says.
  const content = sentences.map((s) => withoutCues(s.text, lexicon));
  const [lexemes, frequency] = await Promise.all([analyse(db, language, content), lexemeFrequencies(db)]);
  const found = await candidates(db, lexemes.map((l) => candidateQuery(l, frequency)), CANDIDATES_PER_SENTENCE);
  const shortlisted = shortlist(lexemes, found);
  const texts = await claimTexts(db, [...new Set(shortlisted.flat())]);
  const matches = shortlisted.map((ids, i) => bestMatch(new Set(lexemes[i]), ids, texts));

  const matchedIds = [...new Set(matches.flatMap((m) => (m ? [m.claimId] : [])))];
  if (matchedIds.length === 0) return { language, sentences: sentences.length, findings: [] };
  // The matched claims as search and the review queue show them: one read model (the stored hits).
  const [claims, countering, index] = await Promise.all([loadHits(db, matchedIds), counteringParties(db, matchedIds), partyIndex(db)]);

  const introduced = new Set<string>();
  const findings = [];
  for (const [i, sentence] of sentences.entries()) {
    const tokens = tokenize(sentence.text);
    // Every sentence is read for names, so a surname later in the draft is known.
    const mentions = index.mentions(tokens, introduced);
    const m = matches[i];
    const claim = m && claims.get(m.claimId);
    if (!m || !claim) continue;
    const ledger = ledgerOf(claim, countering.get(claim.id) ?? [], index.parties);
    const claimNegations = negationCount(tokenize(m.text.text), lexiconFor(m.text.language ?? language));
    const subjects = new Set(claim.subjects.map((p) => p.id));
    const attribution = attribute({ sentence: sentence.text, tokens, mentions, lexicon, claimNegations, index, ledger, subjects });
    findings.push(presentFinding({ sentence, claim, score: m.match.score, attribution, ledger, parties: index.parties }));
  }
  return { language, sentences: sentences.length, findings };
}

function withoutCues(sentence: string, lexicon: Lexicon): string {
  const tokens = tokenize(sentence);
  const cues = new Set(findCues(tokens, lexicon).flatMap((c) => tokens.slice(c.first, c.last + 1)));
  return tokens.filter((t) => !cues.has(t)).map((t) => sentence.slice(t.start, t.end)).join(' ');
}

function ledgerOf(
  claim: ClaimSummaryOut,
  countering: string[],
  parties: Map<string, { name: string }>,
): Ledger {
  const stances: Ledger['stances'] = new Map();
  const names = new Map<string, string>();
  const { affirms, denies, questions, retracts } = claim.positions;
  for (const p of [...affirms, ...denies, ...questions, ...retracts]) {
    stances.set(p.party.id, p.stance);
    names.set(p.party.id, p.speaker ? `${p.party.name} (${p.speaker.name})` : p.party.name);
  }
  for (const id of countering) {
    if (stances.has(id)) continue;
    stances.set(id, 'COUNTERS');
    names.set(id, parties.get(id)?.name ?? id);
  }
  return { contestation: claim.contestation, stances, names };
}
