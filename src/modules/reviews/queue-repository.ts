import type { Prisma } from '../../db/client';
import { partyRefSelect } from '../parties/repository';

/** A queue entry's ordering keys: contested (0/1), parties with a position, latest assertion (epoch µs as text), id. */
export type QueueRow = { id: string; contested: number; parties: number; latest_us: string };
export type QueueAfter = [number, number, string, string] | [null, null, null, null];

/*
 * Claims without a published review, most urgent first: contested ones, then
 * those more parties take a position on, then those with the most recent
 * assertion (when it was said, else when it was recorded). The ordering keys
 * are derived, so the keyset cursor carries all four of them.
 */
const QUEUE_SQL = `
WITH candidates AS (
  SELECT c."id",
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
SELECT "id"::text AS "id", "contested", "parties", "latest_us"::text AS "latest_us"
FROM candidates
WHERE $3::int IS NULL OR ("contested", "parties", "latest_us", "id") < ($3::int, $4::int, $5::bigint, $6::uuid)
ORDER BY "contested" DESC, "parties" DESC, "latest_us" DESC, "id" DESC
LIMIT $7`;

export function queueRows(db: Prisma, filter: { topic: string | null; partyIds: string[] | null }, after: QueueAfter, limit: number) {
  return db.$queryRawUnsafe<QueueRow[]>(QUEUE_SQL, filter.topic, filter.partyIds, ...after, limit);
}

/** The drafts and reviews in progress on these claims, newest first. */
export function draftsOn(db: Prisma, claimIds: string[]) {
  return db.review.findMany({
    where: { claimId: { in: claimIds }, status: { in: ['DRAFT', 'IN_REVIEW'] } },
    select: { id: true, claimId: true, status: true, updatedAt: true, author: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}
export type DraftOnClaim = Awaited<ReturnType<typeof draftsOn>>[number];

/** The parties that answer these claims with an active counter-claim (COUNTERS or CONTRADICTS on PARTY basis), oldest first. */
export function partyCounterClaims(db: Prisma, claimIds: string[]) {
  return db.claimRelation.findMany({
    where: { targetClaimId: { in: claimIds }, type: { in: ['COUNTERS', 'CONTRADICTS'] }, basis: 'PARTY', assertion: { withdrawnAt: null } },
    select: { targetClaimId: true, assertion: { select: { party: { select: partyRefSelect } } } },
    orderBy: { createdAt: 'asc' },
  });
}

/** When each claim was last said: its newest dated active assertion (an undated one is not "said today"). */
export async function lastSaidAt(db: Prisma, claimIds: string[]): Promise<Map<string, Date | null>> {
  const said = await db.assertion.groupBy({ by: ['claimId'], where: { claimId: { in: claimIds }, withdrawnAt: null }, _max: { assertedAt: true } });
  return new Map(said.map((g) => [g.claimId, g._max.assertedAt]));
}
