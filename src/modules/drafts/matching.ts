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

/** Which lexemes a sentence's candidate query pairs up: at most `max`, the rarest first (unknown frequency counts as rare). */
export function rarest(lexemes: string[], frequency: Map<string, number>, max = 12): string[] {
  return [...lexemes].sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || b.length - a.length || (a < b ? -1 : 1)).slice(0, max);
}

const quoteLexeme = (l: string) => `'${l.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

/**
 * The candidate query of one sentence: a claim qualifies when it shares two
 * of the sentence's lexemes. As a tsquery, an OR of pairs, which the GIN
 * index answers from the rarer lexeme of each pair. Null when the sentence
 * has fewer than two lexemes.
 */
export function candidateQuery(lexemes: string[]): string | null {
  if (lexemes.length < 2) return null;
  const pairs: string[] = [];
  for (let i = 0; i < lexemes.length; i += 1) {
    for (let j = i + 1; j < lexemes.length; j += 1) pairs.push(`(${quoteLexeme(lexemes[i]!)} & ${quoteLexeme(lexemes[j]!)})`);
  }
  return pairs.join(' | ');
}
