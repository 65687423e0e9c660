import type { ReviewOut } from '../reviews/responses';
import type { Contestation, DatePrecision, QuoteKind, Stance } from '../../generated/prisma/enums';
import type { AssertionOut, ClaimSummaryOut, DossierOut, PositionOut } from './responses';
import { presentPartyRef, type PartyRefRow } from '../parties/presenter';
import { currentPositions } from './positions';
import { STANCE_KEY, type DossierJsonRow, type DossierRow, type PositionSummary } from './repository';
import { attributedSummary } from './summary';
import type { Page } from '../../http/pagination';
import type { SearchHit } from './search';

export type AssertionRow = {
  id: string;
  claimId: string;
  partyId: string;
  stance: Stance;
  quote: string;
  quoteKind: QuoteKind;
  anchorExact: string | null;
  anchorPrefix: string | null;
  anchorSuffix: string | null;
  anchorStart: number | null;
  anchorEnd: number | null;
  assertedAt: Date | null;
  assertedAtPrecision: DatePrecision | null;
  occasion: string | null;
  createdAt: Date;
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  party: PartyRefRow;
  speaker: PartyRefRow | null;
  source: { id: string; title: string; url: string | null; publisher: PartyRefRow | null };
};

export function presentAnchor(a: AssertionRow) {
  if (a.anchorExact === null) return null;
  return { exact: a.anchorExact, prefix: a.anchorPrefix ?? '', suffix: a.anchorSuffix ?? '', start: a.anchorStart, end: a.anchorEnd };
}

/** "2025-11-03" when only the day is known, a full instant otherwise. */
export function presentAssertedAt(a: { assertedAt: Date | null; assertedAtPrecision: DatePrecision | null }): string | null {
  if (!a.assertedAt) return null;
  const iso = a.assertedAt.toISOString();
  return a.assertedAtPrecision === 'DAY' ? iso.slice(0, 10) : iso;
}

export function presentPosition(a: AssertionRow): PositionOut {
  return {
    assertionId: a.id,
    stance: a.stance,
    party: presentPartyRef(a.party),
    speaker: a.speaker ? presentPartyRef(a.speaker) : null,
    quote: a.quote,
    quoteKind: a.quoteKind,
    anchor: presentAnchor(a),
    source: {
      id: a.source.id,
      title: a.source.title,
      publisher: a.source.publisher ? presentPartyRef(a.source.publisher) : null,
      url: a.source.url,
    },
    assertedAt: presentAssertedAt(a),
    occasion: a.occasion,
  };
}
export type Position = PositionOut;

/** An assertion in full, as its own resource and in a claim's history. */
export function presentAssertion(a: AssertionRow): AssertionOut {
  return {
    ...presentPosition(a),
    claimId: a.claimId,
    createdAt: a.createdAt.toISOString(),
    withdrawn: a.withdrawnAt ? { at: a.withdrawnAt.toISOString(), reason: a.withdrawnReason } : null,
  };
}

export type Positions = { affirms: Position[]; denies: Position[]; questions: Position[]; retracts: Position[] };

export function groupPositions(assertions: AssertionRow[]): Positions {
  const grouped: Positions = { affirms: [], denies: [], questions: [], retracts: [] };
  for (const a of currentPositions(assertions)) grouped[STANCE_KEY[a.stance]].push(presentPosition(a));
  return grouped;
}

type RelationRow = DossierRow['outgoingRelations'][number] | DossierRow['incomingRelations'][number];
type RelatedClaim = { id: string; statement: string; contestation: Contestation; mergedIntoId: string | null };

const COUNTERING = new Set(['COUNTERS', 'CONTRADICTS']);
const EMPTY_SUMMARY: PositionSummary = { affirms: [], denies: [], questions: [], retracts: [] };

function presentLink(
  r: RelationRow,
  direction: 'incoming' | 'outgoing',
  other: RelatedClaim,
  summaries: Map<string, PositionSummary>,
) {
  return {
    relationId: r.id,
    relation: r.type,
    direction,
    basis: r.basis,
    claim: { id: other.id, statement: other.statement, contestation: other.contestation, positions: summaries.get(other.id) ?? EMPTY_SUMMARY },
    by: r.assertion ? presentPartyRef(r.assertion.party) : null,
    note: r.note,
  };
}

/** A relation counts while both claims stand and its party basis has not been withdrawn. */
const stands = (r: RelationRow, other: RelatedClaim) => !other.mergedIntoId && !r.assertion?.withdrawnAt;

export function relatedClaimIds(row: DossierRow): string[] {
  return [...row.outgoingRelations.map((r) => r.targetClaim.id), ...row.incomingRelations.map((r) => r.sourceClaim.id)];
}

/** The dossier (SPEC §3.3): the claim with every position, counter-claim and verdict, each attributed. */
export function presentDossier(row: DossierRow, summaries: Map<string, PositionSummary>, reviews: ReviewOut[] = []): DossierOut {
  const links = [
    ...row.incomingRelations.filter((r) => stands(r, r.sourceClaim)).map((r) => presentLink(r, 'incoming', r.sourceClaim, summaries)),
    ...row.outgoingRelations.filter((r) => stands(r, r.targetClaim)).map((r) => presentLink(r, 'outgoing', r.targetClaim, summaries)),
  ];
  const positions = groupPositions(row.assertions);
  const counterClaims = links.filter((l) => COUNTERING.has(l.relation));
  const countering = counterClaims.filter((l) => l.direction === 'incoming' && l.by).map((l) => l.by!.name);
  return {
    ...presentClaimCore(row, positions, countering),
    counterClaims,
    supportingClaims: links.filter((l) => !COUNTERING.has(l.relation)),
    reviews,
    history: row.assertions.map(presentAssertion),
  };
}
export type Dossier = DossierOut;

/** The marker the dossier statement leaves where the summary goes (chr(1), as JSON writes it). */
const SUMMARY_MARKER = '"\\u0001"';

/**
 * The dossier the database wrote (dossier-sql.ts, the shape above), with its
 * one-line summary worded here, in the claim's language.
 */
export function presentDossierJson(row: DossierJsonRow): string {
  const s = JSON.parse(row.summary) as { statement: string; language: string | null; positions: Positions; countering: string[] };
  const line = JSON.stringify(attributedSummary(s.statement, s.positions, s.countering, s.language));
  return row.body.replace(SUMMARY_MARKER, () => line);
}

export type ClaimSummaryRow = {
  id: string;
  statement: string;
  topics: string[];
  language: string | null;
  version: number;
  contestation: Contestation;
  createdAt: Date;
  updatedAt: Date;
  subjects: { party: PartyRefRow }[];
  assertions: AssertionRow[];
  incomingRelations: { assertion: { party: { name: string } } | null }[];
};

type ClaimCoreRow = Omit<ClaimSummaryRow, 'assertions' | 'incomingRelations'>;

/** The fields every presentation of a claim carries: never the statement without who says what. */
function presentClaimCore(row: ClaimCoreRow, positions: Positions, countering: string[]): ClaimSummaryOut {
  return {
    id: row.id,
    statement: row.statement,
    topics: row.topics,
    subjects: row.subjects.map((s) => presentPartyRef(s.party)),
    language: row.language,
    version: row.version,
    contestation: row.contestation,
    positions,
    attributedSummary: attributedSummary(row.statement, positions, countering, row.language),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A search hit: the claim with who holds which position, never the bare statement. */
export function presentClaimSummary(row: ClaimSummaryRow): ClaimSummaryOut {
  const countering = row.incomingRelations.flatMap((r) => (r.assertion ? [r.assertion.party.name] : []));
  return presentClaimCore(row, groupPositions(row.assertions), countering);
}

/**
 * A page of search hits as the JSON the API answers: each stored hit as it
 * was presented when it last changed, with its matches (JSON built from the
 * stored word spans) when words were sought; a stale one as presented now.
 */
export function presentHitPage(page: Page<SearchHit>, presented: Map<string, object>, withMatches: boolean): string {
  const items = page.data.flatMap((h) => {
    if (h.body !== null) return [withMatches ? `${h.body.slice(0, -1)},"matches":${h.matches ?? '[]'}}` : h.body];
    const now = presented.get(h.id);
    return now ? [JSON.stringify(now)] : [];
  });
  return `{"data":[${items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}
