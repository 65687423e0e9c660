import type { ClaimSummaryOut } from '../claims/responses';
import { presentPartyRef } from '../parties/presenter';
import type { Attribution } from './attribution';
import type { PartyName } from './mentions';
import type { FindingOut } from './schema';
import type { Sentence } from './text';
import { decideVerdict, SEVERITY, verdictMessage, type Ledger } from './verdict';

export function presentFinding(args: {
  sentence: Sentence;
  claim: ClaimSummaryOut;
  score: number;
  attribution: Attribution;
  ledger: Ledger;
  parties: Map<string, PartyName>;
}): FindingOut {
  const { sentence, claim, attribution, ledger, parties } = args;
  const ref = (id: string) => {
    const party = parties.get(id);
    return party ? [presentPartyRef(party)] : [];
  };
  const verdict = decideVerdict(ledger, attribution.given);
  return {
    start: sentence.start,
    end: sentence.end,
    text: sentence.text,
    claim: {
      id: claim.id,
      statement: claim.statement,
      contestation: claim.contestation,
      positions: claim.positions,
      counteredBy: [...ledger.stances].flatMap(([id, stance]) => (stance === 'COUNTERS' ? ref(id) : [])),
      attributedSummary: claim.attributedSummary,
    },
    score: Math.round(Math.min(1, args.score) * 1000) / 1000,
    polarity: attribution.negated ? 'negates' : 'affirms',
    attributedTo: attribution.given.flatMap((g) => ref(g.partyId).map((party) => ({ party, stance: g.stance }))),
    verdict,
    severity: SEVERITY[verdict],
    message: verdictMessage(verdict, ledger, attribution.given, attribution.negated),
    suggestion: claim.attributedSummary,
  };
}
