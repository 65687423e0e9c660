import type { Prisma } from '../../db/client';
import { MovedError, NotFoundError } from '../../shared/errors';
import { presentDossier } from '../claims/presenter';
import { currentPositions } from '../claims/positions';
import { STANCE_KEY, type DossierRow, type PositionSummary } from '../claims/repository';
import { presentPartyRef, type PartyRefRow } from '../parties/presenter';
import { presentReview } from '../reviews/presenter';
import type { ReviewRow } from '../reviews/repository';
import type { StoredEvent } from '../audit/chain';
import { foldEvents } from './replay';
import { eventsOfEntities, eventsReferring } from './repository';
import { emptyState, type LedgerRow, type LedgerState } from './tables';

/** Column names whose model field is not their camelCase form. */
const FIELD: Record<string, string> = {
  created_by: 'createdById', withdrawn_by: 'withdrawnById', published_by: 'publishedById',
  updated_by: 'updatedById', imported_by: 'importedById', from_date: 'from', to_date: 'to',
};
const isDateColumn = (c: string) => c.endsWith('_at') || c.endsWith('_date');
const camel = (c: string) => FIELD[c] ?? c.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());

/** A replayed row in the shape the Prisma client reads it in (camelCase fields, Dates). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function model(row: LedgerRow): any {
  return Object.fromEntries(
    Object.entries(row).map(([c, v]) => [camel(c), isDateColumn(c) && typeof v === 'string' ? new Date(v) : v]),
  );
}

/**
 * The slice of the ledger a dossier shows, replayed from the chain up to
 * `untilSeq`: the claim, the claims merged into it and those related to
 * it, their assertions, relations and reviews with evidence, then every
 * party, source and actor those rows name.
 */
async function replaySlice(db: Prisma, claimId: string, untilSeq: number): Promise<LedgerState> {
  // Each round finds more rows to follow; the state is folded anew from every event
  // found so far, in seq order: a later round's older events must not overwrite newer rows.
  const found = new Map<number, StoredEvent>();
  let state = emptyState();
  const loaded = new Set<string>();
  let wanted = [claimId];
  while (wanted.length > 0) {
    for (const id of wanted) loaded.add(id);
    for (const e of await eventsReferring(db, wanted, untilSeq)) found.set(e.seq, e);
    state = foldEvents([...found.values()].sort((x, y) => x.seq - y.seq)).state;
    const rows = (t: string) => [...state.get(t)!.values()];
    const claims = [claimId, ...rows('claim').filter((c) => loaded.has(c.merged_into_id as string)).map((c) => c.id as string)];
    const related = rows('claim_relation')
      .filter((r) => claims.includes(r.source_claim_id as string) || claims.includes(r.target_claim_id as string))
      .flatMap((r) => [r.source_claim_id as string, r.target_claim_id as string]);
    const reviews = rows('review').map((r) => r.id as string);
    wanted = [...new Set([...claims, ...related, ...reviews])].filter((id) => !loaded.has(id));
  }
  const ids = (t: string, ...cols: string[]) => [...new Set([...state.get(t)!.values()].flatMap((r) => cols.map((c) => r[c]).filter((v): v is string => typeof v === 'string')))];
  foldEvents(await eventsOfEntities(db, 'source', [...ids('assertion', 'source_id'), ...ids('review_evidence', 'source_id')], untilSeq), state);
  const parties = [...ids('assertion', 'party_id', 'speaker_id'), ...ids('claim_subject', 'party_id'), ...ids('review', 'reviewer_id'), ...ids('source', 'publisher_id')];
  foldEvents(await eventsOfEntities(db, 'party', parties, untilSeq), state);
  foldEvents(await eventsOfEntities(db, 'actor', [...ids('review', 'author_actor_id', 'published_by', 'withdrawn_by'), ...ids('review_contributor', 'actor_id')], untilSeq), state);
  return state;
}

/** Ids as PostgreSQL orders uuids (their lowercase text sorts the same way). */
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Puts the replayed rows together as the dossier query would have read them. */
function dossierRow(state: LedgerState, claimId: string) {
  const all = (t: string) => [...state.get(t)!.values()].map(model);
  const byId = (t: string) => new Map(all(t).map((r) => [r.id as string, r]));
  const [parties, sources, claims, actors] = [byId('party'), byId('source'), byId('claim'), byId('actor')];
  const ref = (id: string | null): PartyRefRow | null => {
    const p = id ? parties.get(id) : undefined;
    return p ? { id: p.id, slug: p.slug, name: p.name, kind: p.kind } : null;
  };
  const claim = claims.get(claimId);
  const assertions = all('assertion').map((a) => {
    const s = sources.get(a.sourceId);
    return { ...a, party: ref(a.partyId)!, speaker: ref(a.speakerId), source: { id: s?.id, title: s?.title, url: s?.url ?? null, publisher: ref(s?.publisherId ?? null) } };
  });
  const assertionById = new Map(assertions.map((a) => [a.id as string, a]));
  const relatedClaim = (id: string) => {
    const c = claims.get(id);
    return { id, statement: c?.statement ?? '', contestation: c?.contestation ?? 'uncontested', mergedIntoId: c?.mergedIntoId ?? null };
  };
  const relations = all('claim_relation').map((r) => {
    const a = r.assertionId ? assertionById.get(r.assertionId) : undefined;
    return { ...r, assertion: a ? { withdrawnAt: a.withdrawnAt, party: a.party } : null };
  });
  const order = (x: { createdAt: Date; id: string }, y: { createdAt: Date; id: string }) => x.createdAt.getTime() - y.createdAt.getTime() || compareIds(x.id, y.id);
  // The replayed rows come in the order they were first written; the dossier lists these lists by id (dossierInclude).
  const by = <K extends string>(key: K) => (x: Record<K, string>, y: Record<K, string>) => compareIds(x[key], y[key]);
  const row = {
    ...claim,
    subjects: all('claim_subject').filter((s) => s.claimId === claimId).sort(by('partyId')).map((s) => ({ ...s, party: ref(s.partyId)! })),
    assertions: assertions.filter((a) => a.claimId === claimId).sort(order),
    outgoingRelations: relations.filter((r) => r.sourceClaimId === claimId).sort(by('id')).map((r) => ({ ...r, targetClaim: relatedClaim(r.targetClaimId) })),
    incomingRelations: relations.filter((r) => r.targetClaimId === claimId).sort(by('id')).map((r) => ({ ...r, sourceClaim: relatedClaim(r.sourceClaimId) })),
    mergedFrom: all('claim').filter((c) => c.mergedIntoId === claimId).map((c) => ({ id: c.id as string })),
  } as unknown as DossierRow;

  const summaries = new Map<string, PositionSummary>();
  for (const id of claims.keys()) {
    const summary: PositionSummary = { affirms: [], denies: [], questions: [], retracts: [] };
    for (const p of currentPositions(assertions.filter((a) => a.claimId === id))) summary[STANCE_KEY[p.stance as keyof typeof STANCE_KEY]].push(presentPartyRef(p.party));
    summaries.set(id, summary);
  }
  const actor = (id: string | null) => (id && actors.get(id) ? { id, name: actors.get(id).name as string } : null);
  const judged = new Set([claimId, ...row.mergedFrom.map((m) => m.id)]);
  const reviews = all('review')
    .filter((r) => judged.has(r.claimId) && r.status === 'PUBLISHED')
    .sort((x, y) => x.publishedAt.getTime() - y.publishedAt.getTime() || compareIds(x.id, y.id))
    .map((r) => ({
      ...r,
      reviewer: ref(r.reviewerId)!,
      author: actor(r.authorActorId)!,
      publishedBy: actor(r.publishedById),
      withdrawnBy: actor(r.withdrawnById),
      // In the order the reviews' reads give them (reviews/repository.ts); reviews written before their
      // contributors were in the chain (migration 20261202180000) name their author only.
      contributors: all('review_contributor')
        .filter((c) => c.reviewId === r.id && actors.has(c.actorId))
        .sort((x, y) => x.firstAt.getTime() - y.firstAt.getTime() || compareIds(x.actorId, y.actorId))
        .map((c) => ({ ...c, actor: actor(c.actorId)! })),
      claim: { statement: claim?.statement },
      evidence: all('review_evidence')
        .filter((e) => e.reviewId === r.id)
        .sort((x, y) => x.position - y.position)
        .map((e) => ({ ...e, source: e.sourceId && sources.get(e.sourceId) ? { id: e.sourceId, title: sources.get(e.sourceId).title, url: sources.get(e.sourceId).url } : null })),
    })) as ReviewRow[];
  return { claim, row, summaries, reviews };
}

/** The dossier as it stood after event `untilSeq`, rebuilt from the chain alone. */
export async function dossierAsOf(db: Prisma, claimId: string, untilSeq: number, asOf: string) {
  const state = await replaySlice(db, claimId, untilSeq);
  const { claim, row, summaries, reviews } = dossierRow(state, claimId);
  if (!claim) throw new NotFoundError('claim', claimId);
  if (claim.mergedIntoId) throw new MovedError(`/v1/claims/${claim.mergedIntoId}?asOf=${encodeURIComponent(asOf)}`);
  return presentDossier(row, summaries, reviews.map((r) => presentReview(r)));
}
