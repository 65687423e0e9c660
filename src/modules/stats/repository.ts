import type { Prisma } from '../../db/client';

/* The counts behind the stats (SPEC §3.2): $1 from, $2 to (either may be null), $3 the bucket. */
export type Period = [Date | null, Date | null];
export type Count = { key: string; n: number };

// Claims that were merged away are duplicates and do not count.
const IN_PERIOD = (col: string) => `($1::timestamptz IS NULL OR ${col} >= $1::timestamptz) AND ($2::timestamptz IS NULL OR ${col} <= $2::timestamptz)`;
const LIVE_CLAIMS = `SELECT * FROM "claim" c WHERE c."merged_into_id" IS NULL AND ${IN_PERIOD('c."created_at"')}`;
const ACTIVE_ASSERTIONS = `SELECT a.*, c."topics", c."contestation" FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id"
  WHERE a."withdrawn_at" IS NULL AND c."merged_into_id" IS NULL AND ${IN_PERIOD('a."created_at"')}`;
// Drafts are internal to the desk: below REVIEWER, only published and withdrawn reviews are counted.
const REVIEWS = `SELECT * FROM "review" r WHERE ${IN_PERIOD('r."created_at"')}`;
const PUBLIC_REVIEWS = `${REVIEWS} AND r."status" IN ('PUBLISHED', 'WITHDRAWN')`;

const reviewQueries = (from: string) => ({
  reviewsByStatus: `SELECT "status"::text AS key, count(*)::int AS n FROM (${from}) x GROUP BY 1`,
  reviewsByRating: `SELECT "rating"::text AS key, count(*)::int AS n FROM (${from}) x GROUP BY 1`,
});

const QUERIES = {
  claimsByContestation: `SELECT "contestation"::text AS key, count(*)::int AS n FROM (${LIVE_CLAIMS}) x GROUP BY 1`,
  claimsByTopic: `SELECT t AS key, count(*)::int AS n FROM (${LIVE_CLAIMS}) x, unnest(x."topics") t GROUP BY 1 ORDER BY 2 DESC, 1`,
  assertionsByStance: `SELECT "stance"::text AS key, count(*)::int AS n FROM (${ACTIVE_ASSERTIONS}) x GROUP BY 1`,
  assertionsByContestation: `SELECT "contestation"::text AS key, count(*)::int AS n FROM (${ACTIVE_ASSERTIONS}) x GROUP BY 1`,
  assertionsByTopic: `SELECT t AS key, count(*)::int AS n FROM (${ACTIVE_ASSERTIONS}) x, unnest(x."topics") t GROUP BY 1 ORDER BY 2 DESC, 1`,
};
const WITH_DRAFTS = { ...QUERIES, ...reviewQueries(REVIEWS) };
const WITHOUT_DRAFTS = { ...QUERIES, ...reviewQueries(PUBLIC_REVIEWS) };

/** Each count of the period, keyed as QUERIES; drafts counted only for those who may read them. */
export async function periodCounts(db: Prisma, period: Period, withDrafts: boolean): Promise<Record<keyof typeof WITH_DRAFTS, Count[]>> {
  const queries = withDrafts ? WITH_DRAFTS : WITHOUT_DRAFTS;
  const entries = await Promise.all(Object.entries(queries).map(async ([name, sql]) => [name, await db.$queryRawUnsafe<Count[]>(sql, ...period)] as const));
  return Object.fromEntries(entries) as Record<keyof typeof WITH_DRAFTS, Count[]>;
}

/** The first and last bucket of the period (from the live claims where it is open, as UTC wall time) and how many buckets lie between. */
export async function bucketBounds(db: Prisma, period: Period, bucket: string) {
  const [bounds] = await db.$queryRawUnsafe<{ lo: string | null; hi: string | null; buckets: number | null }[]>(
    `SELECT to_char(lo, 'YYYY-MM-DD"T"HH24:MI:SS') AS lo, to_char(hi, 'YYYY-MM-DD"T"HH24:MI:SS') AS hi,
       (SELECT count(*)::int FROM generate_series(lo, hi, ('1 ' || $3::text)::interval)) AS buckets FROM (
       SELECT date_trunc($3::text, coalesce($1::timestamptz, min(c."created_at")) AT TIME ZONE 'UTC') AS lo,
              date_trunc($3::text, coalesce($2::timestamptz, max(c."created_at")) AT TIME ZONE 'UTC') AS hi
       FROM (${LIVE_CLAIMS}) c) b`,
    ...period,
    bucket,
  );
  return bounds;
}

/** Claims created per bucket between the bounds bucketBounds found (UTC; weeks start on Monday), empty buckets included. */
export async function claimsPerBucket(db: Prisma, period: Period, bucket: string, bounds: { lo: string; hi: string }) {
  return db.$queryRawUnsafe<{ bucket: string; n: number }[]>(
    `SELECT to_char(s.b, 'YYYY-MM-DD') AS bucket, count(c."id")::int AS n
     FROM generate_series($4::timestamp, $5::timestamp, ('1 ' || $3::text)::interval) AS s(b)
     LEFT JOIN (${LIVE_CLAIMS}) c ON date_trunc($3::text, c."created_at" AT TIME ZONE 'UTC') = s.b
     GROUP BY s.b ORDER BY s.b`,
    ...period,
    bucket,
    bounds.lo,
    bounds.hi,
  );
}
