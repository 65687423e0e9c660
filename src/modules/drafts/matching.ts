/*
 * How well a sentence says what a claim says. Both sides are sets of
 * lexemes, each stemmed in its own language and folded (cp_draft_lexemes):
 * word order, inflection, accents and case no longer matter. The score
 * weighs how much of the claim's wording the sentence covers (extra words in
 * the sentence cost little) over how much of the sentence is the claim's.
 */

export const MATCH_THRESHOLD = 0.62;

export type TextMatch = { score: number; shared: number };

export function scoreText(claimLexemes: readonly string[], sentence: ReadonlySet<string>): TextMatch {
  const own = new Set(claimLexemes);
  if (own.size === 0 || sentence.size === 0) return { score: 0, shared: 0 };
  let shared = 0;
  for (const l of own) if (sentence.has(l)) shared += 1;
  const coverage = shared / own.size;
  const precision = shared / sentence.size;
  return { score: 0.8 * coverage + 0.2 * precision, shared };
}

/** A match needs two shared words at least: one shared word ("Sabotage is a crime…") is not one. */
export function isMatch(m: TextMatch): boolean {
  return m.shared >= 2 && m.score >= MATCH_THRESHOLD;
}

const quoteLexeme = (l: string) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** A conjunction of a candidate query should name at most about this many claims. */
const MAX_ESTIMATE = 20;
const MAX_LEXEMES = 8;

export type Frequencies = { claims: number; share: Map<string, number> };

/**
 * The candidate query of one sentence: the claims that share two of its
 * lexemes, as an OR of pairs the GIN index answers from its posting lists.
 * With the planner's statistics (`share`: of claims holding each common
 * lexeme), a pair expected to name more than about twenty claims ("gaza"
 * and "ceasefire" in a ledger about Gaza) is left out: it would fetch a
 * good part of the ledger, and a claim the sentence says shares rarer words
 * with it too. A sentence made only of common words asks for the claims
 * holding its rarest words together. Null when the sentence has fewer than
 * two lexemes.
 */
export function candidateQuery(lexemes: string[], f: Frequencies): string | null {
  if (lexemes.length < 2) return null;
  const seen = [...f.share.values()];
  const unseen = seen.length ? Math.min(...seen) / 2 : 0;
  const share = (l: string) => f.share.get(l) ?? unseen;
  const cap = MAX_ESTIMATE / Math.max(1, f.claims);
  const ranked = [...lexemes].sort((a, b) => share(a) - share(b) || (a < b ? -1 : 1)).slice(0, MAX_LEXEMES);
  const terms: string[] = [];
  for (let i = 0; i < ranked.length; i += 1) {
    for (let j = i + 1; j < ranked.length; j += 1) {
      const [a, b] = [ranked[i]!, ranked[j]!];
      if (share(a) * share(b) <= cap) terms.push(`(${quoteLexeme(a)} & ${quoteLexeme(b)})`);
    }
  }
  if (terms.length === 0) return ranked.map(quoteLexeme).join(' & ');
  return terms.join(' | ');
}
