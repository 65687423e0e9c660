import type { Contestation, Stance } from '../../generated/prisma/enums';

/*
 * The verdict on a matched sentence (SPEC §6), decided in the SPEC's order:
 * stated-as-fact, misattributed, unattributed, one-sided, attributed.
 */

export type Verdict = 'stated-as-fact' | 'misattributed' | 'unattributed' | 'one-sided' | 'attributed';
export type Severity = 'high' | 'medium' | 'low';
export const SEVERITY: Record<Verdict, Severity> = {
  'stated-as-fact': 'high',
  misattributed: 'high',
  unattributed: 'medium',
  'one-sided': 'medium',
  attributed: 'low',
};

/** What the ledger holds on the claim: each party's position, countering parties counted as disputing it. */
export type Ledger = {
  contestation: Contestation;
  stances: Map<string, Stance | 'COUNTERS'>;
  names: Map<string, string>;
};
export type Given = { partyId: string; stance: Stance };

const opposing = (s: Stance | 'COUNTERS' | undefined) => s === 'DENIES' || s === 'QUESTIONS' || s === 'COUNTERS';

/** Does the ledger record this party as holding the stance the sentence gives it? */
export function holds(ledger: Ledger, g: Given): boolean {
  const held = ledger.stances.get(g.partyId);
  if (g.stance === 'AFFIRMS') return held === 'AFFIRMS';
  if (g.stance === 'DENIES' || g.stance === 'QUESTIONS') return opposing(held);
  return held === g.stance;
}

export function decideVerdict(ledger: Ledger, given: Given[]): Verdict {
  if (given.length === 0) return ledger.contestation === 'uncontested' ? 'unattributed' : 'stated-as-fact';
  if (given.some((g) => !holds(ledger, g))) return 'misattributed';
  if (ledger.contestation !== 'contested') return 'attributed';
  const sides = new Set(given.map((g) => (g.stance === 'AFFIRMS' ? 'for' : 'against')));
  return sides.size === 2 ? 'attributed' : 'one-sided';
}

function list(names: string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique.join('');
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

const WORDING: Record<Stance | 'COUNTERS', [string, string]> = {
  AFFIRMS: ['affirms it', 'affirm it'],
  DENIES: ['denies it', 'deny it'],
  QUESTIONS: ['questions it', 'question it'],
  RETRACTS: ['has retracted it', 'have retracted it'],
  COUNTERS: ['disputes it with a counter-claim', 'dispute it with a counter-claim'],
};

/** "Türkiye affirms it; Israel disputes it with a counter-claim" */
export function ledgerRecord(ledger: Ledger): string {
  const clauses: string[] = [];
  for (const stance of ['AFFIRMS', 'DENIES', 'QUESTIONS', 'COUNTERS', 'RETRACTS'] as const) {
    const names = [...ledger.stances].filter(([, s]) => s === stance).map(([id]) => ledger.names.get(id) ?? id);
    if (names.length) clauses.push(`${list(names)} ${WORDING[stance][names.length === 1 ? 0 : 1]}`);
  }
  return clauses.join('; ');
}

const HELD: Record<Stance, string> = { AFFIRMS: 'affirming', DENIES: 'denying', QUESTIONS: 'questioning', RETRACTS: 'retracting' };

/** One line: what the sentence does, and what the ledger records. */
export function verdictMessage(verdict: Verdict, ledger: Ledger, given: Given[], negated: boolean): string {
  const record = `the ledger records: ${ledgerRecord(ledger)}.`;
  const name = (id: string) => ledger.names.get(id) ?? id;
  switch (verdict) {
    case 'stated-as-fact':
      return negated
        ? `States the denial of a contested claim as fact; ${record}`
        : `States as fact what is one side's position; ${record}`;
    case 'misattributed': {
      const wrong = given.filter((g) => !holds(ledger, g));
      const who = list(wrong.map((g) => `${name(g.partyId)} as ${HELD[g.stance]} it`));
      return `Presents ${who}, which the ledger does not record; ${record}`;
    }
    case 'unattributed':
      return `States without attribution what is one party's claim (uncontested so far); ${record}`;
    case 'one-sided':
      return `Attributes only one side of a contested claim; ${record}`;
    case 'attributed':
      return `Attributed as the ledger records it; ${record}`;
  }
}
