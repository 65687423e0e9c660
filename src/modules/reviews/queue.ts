import { z } from 'zod';
import type { AppContext, Caller } from '../../http/context';
import { mayReadDrafts } from './visibility';
import { decodeCursor, toPage } from '../../http/pagination';
import { loadHits, positionSummaryOf } from '../claims/hits';
import { presentPartyRef, type PartyRef } from '../parties/presenter';
import { resolveFilterParty } from '../parties/repository';
import type { ReviewQueueQuery } from './schema';

type QueueRow = { id: string; statement: string; topics: string[]; contestation: string; contested: number; parties: number; latest_us: string };

/*
 * Claims without a published review, most urgent first: contested ones, then
 * those more parties take a position on, then those with the most recent
 * assertion (when it was said, else when it was recorded). The ordering keys
 * are derived, so the keyset cursor carries all four of them.
 */
const QUEUE_SQL = `
WITH candidates AS (
  SELECT c."id", c."statement", c."topics", c."contestation"::text AS "contestation",
         (c."contestation" = 'contested')::int AS "contested",
         count(DISTINCT a."party_id")::int AS "parties",
         (extract(epoch FROM max(coalesce(a."asserted_at", a."created_at"))) * 1000000)::bigint AS "latest_us"
  FROM "claim" c
  JOIN "assertion" a ON a."claim_id" = c."id" AND a."withdrawn_at" IS NULL
  WHERE c."merged_into_id" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "review" r WHERE r."claim_id" = c."id" AND r."status" = 'PUBLISHED')
    AND ($1::text IS NULL OR $1::text = ANY(c."topics"))
    AND ($2::uuid[] IS NULL OR EXISTS (
      SELECT 1 FROM "assertion" p WHERE p."claim_id" = c."id" AND p."party_id" = ANY($2::uuid[]) AND p."withdrawn_at" IS NULL))
  GROUP BY c."id"
)
SELECT "id"::text AS "id", "statement", "topics", "contestation", "contested", "parties", "latest_us"::text AS "latest_us"
FROM candidates
WHERE $3::int IS NULL OR ("contested", "parties", "latest_us", "id") < ($3::int, $4::int, $5::bigint, $6::uuid)
ORDER BY "contested" DESC, "parties" DESC, "latest_us" DESC, "id" DESC
LIMIT $7`;

/** contested (0/1), parties with a position, latest assertion (epoch µs as text), id. */
const queueKeyset = z.tuple([
  z.union([z.literal(0), z.literal(1)]),
  z.number().int().min(0).max(2 ** 31 - 1),
  z.string().regex(/^-?\d{1,19}$/).refine((v) => /^-?\d{1,19}$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n, 'out of range'),
  z.uuid(),
]);

function queueCursor(cursor: string) {
  return decodeCursor(cursor, queueKeyset);
}

export async function reviewQueue(app: AppContext, caller: Caller, q: ReviewQueueQuery) {
  const parties = q.party ? await resolveFilterParty(app.prisma, q.party, 'party') : null;
  const after = q.cursor ? queueCursor(q.cursor) : [null, null, null, null];
  const rows = await app.prisma.$queryRawUnsafe<QueueRow[]>(QUEUE_SQL, q.topic ?? null, parties, ...after, q.limit + 1);
  const ids = rows.map((r) => r.id);
  const [hits, drafts, counters, said] = await Promise.all([
    // The claims as search shows them (the hit read model): the queue and search cannot disagree on who says what.
    loadHits(app.prisma, ids),
    // Drafts are the desk's: READER and EDITOR keys see the claims awaiting a verdict, not who is drafting one.
    !mayReadDrafts(caller) ? [] : app.prisma.review.findMany({
      where: { claimId: { in: ids }, status: { in: ['DRAFT', 'IN_REVIEW'] } },
      select: { id: true, claimId: true, status: true, updatedAt: true, author: { select: { id: true, name: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    // Parties that answer a claim with a counter-claim dispute it as surely as those that deny it.
    app.prisma.claimRelation.findMany({
      where: { targetClaimId: { in: ids }, type: { in: ['COUNTERS', 'CONTRADICTS'] }, basis: 'PARTY', assertion: { withdrawnAt: null } },
      select: { targetClaimId: true, assertion: { select: { party: { select: { id: true, slug: true, name: true, kind: true } } } } },
      orderBy: { createdAt: 'asc' },
    }),
    // When it was last said: only dated assertions count (an undated one is not "said today").
    app.prisma.assertion.groupBy({ by: ['claimId'], where: { claimId: { in: ids }, withdrawnAt: null }, _max: { assertedAt: true } }),
  ]);
  const counteredBy = new Map<string, PartyRef[]>();
  for (const c of counters) {
    const party = c.assertion?.party;
    if (!party) continue;
    const list = counteredBy.get(c.targetClaimId) ?? [];
    if (!list.some((p) => p.id === party.id)) list.push(presentPartyRef(party));
    counteredBy.set(c.targetClaimId, list);
  }
  const lastSaid = new Map(said.map((g) => [g.claimId, g._max.assertedAt]));
  const currentDraft = new Map<string, (typeof drafts)[number]>();
  for (const d of drafts) if (!currentDraft.has(d.claimId)) currentDraft.set(d.claimId, d);
  const items = rows.map((r) => {
    const draft = currentDraft.get(r.id);
    return {
      claim: { id: r.id, statement: r.statement, topics: r.topics, contestation: r.contestation, positions: positionSummaryOf(hits.get(r.id)!) },
      counteredBy: counteredBy.get(r.id) ?? [],
      partiesWithPosition: Number(r.parties),
      latestAssertionAt: new Date(Number(BigInt(r.latest_us) / 1000n)).toISOString(),
      latestAssertedAt: lastSaid.get(r.id)?.toISOString() ?? null,
      draft: draft ? { id: draft.id, status: draft.status, author: draft.author, updatedAt: draft.updatedAt.toISOString() } : null,
      sortKey: [Number(r.contested), Number(r.parties), r.latest_us, r.id] as (string | number)[],
    };
  });
  const page = toPage(items, q.limit, (i) => i.sortKey);
  return { data: page.data.map(({ sortKey: _, ...item }) => item), nextCursor: page.nextCursor };
}
