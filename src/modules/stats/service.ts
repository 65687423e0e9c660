import { Contestation, ReviewRating, ReviewStatus, Stance } from '../../generated/prisma/enums';
import type { AppContext, Caller } from '../../http/context';
import { mayReadDrafts } from '../reviews/visibility';
import { UnprocessableError } from '../../shared/errors';
import type { StatsQuery } from './schema';

/** More buckets than this is a query mistake (a day bucket over decades), not a chart. */
const MAX_BUCKETS = 1000;

type Count = { key: string; n: number };

/** Every value of an enum, with zero for those that do not occur. */
function byKey(values: Record<string, string>, rows: Count[]): Record<string, number> {
  const out = Object.fromEntries(Object.keys(values).map((k) => [k, 0]));
  for (const r of rows) out[r.key] = Number(r.n);
  return out;
}

const topics = (rows: Count[]) => rows.map((r) => ({ topic: r.key, count: Number(r.n) }));
const total = (rows: Count[]) => rows.reduce((sum, r) => sum + Number(r.n), 0);

// $1 from, $2 to (either may be null). Claims that were merged away are duplicates and do not count.
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

/** Claims created per bucket (UTC; weeks start on Monday), empty buckets included. */
async function newClaimsPerBucket(app: AppContext, q: StatsQuery, params: (Date | null)[]) {
  const [bounds] = await app.prisma.$queryRawUnsafe<{ lo: Date | null; hi: Date | null; buckets: number | null }[]>(
    `SELECT lo, hi, (SELECT count(*)::int FROM generate_series(lo, hi, ('1 ' || $3::text)::interval)) AS buckets FROM (
       SELECT date_trunc($3::text, coalesce($1::timestamptz, min(c."created_at")) AT TIME ZONE 'UTC') AS lo,
              date_trunc($3::text, coalesce($2::timestamptz, max(c."created_at")) AT TIME ZONE 'UTC') AS hi
       FROM (${LIVE_CLAIMS}) c) b`,
    ...params,
    q.bucket,
  );
  if (!bounds?.lo || !bounds.hi) return [];
  if (Number(bounds.buckets) > MAX_BUCKETS) {
    throw new UnprocessableError('too-many-buckets', `The period holds more than ${MAX_BUCKETS} ${q.bucket} buckets; choose a larger bucket or a shorter period`, [
      { path: 'bucket', message: 'too fine for this period' },
    ]);
  }
  const rows = await app.prisma.$queryRawUnsafe<{ bucket: string; n: number }[]>(
    `SELECT to_char(s.b, 'YYYY-MM-DD') AS bucket, count(c."id")::int AS n
     FROM generate_series(date_trunc($3::text, coalesce($1::timestamptz, (SELECT min("created_at") FROM (${LIVE_CLAIMS}) m)) AT TIME ZONE 'UTC'),
                          date_trunc($3::text, coalesce($2::timestamptz, (SELECT max("created_at") FROM (${LIVE_CLAIMS}) m)) AT TIME ZONE 'UTC'),
                          ('1 ' || $3::text)::interval) AS s(b)
     LEFT JOIN (${LIVE_CLAIMS}) c ON date_trunc($3::text, c."created_at" AT TIME ZONE 'UTC') = s.b
     GROUP BY s.b ORDER BY s.b`,
    ...params,
    q.bucket,
  );
  return rows.map((r) => ({ bucket: r.bucket, count: Number(r.n) }));
}

/** Counts for dashboards (SPEC §3.2): what was recorded in the period, and how it stands now. */
export async function stats(app: AppContext, caller: Caller, q: StatsQuery) {
  const params = [q.from ?? null, q.to ?? null];
  const run = (sql: string) => app.prisma.$queryRawUnsafe<Count[]>(sql, ...params);
  const [claimsByContestation, claimsByTopic, assertionsByStance, assertionsByContestation, assertionsByTopic, reviewsByStatus, reviewsByRating] =
    await Promise.all(Object.values(mayReadDrafts(caller) ? WITH_DRAFTS : WITHOUT_DRAFTS).map(run));
  return {
    from: q.from?.toISOString() ?? null,
    to: q.to?.toISOString() ?? null,
    bucket: q.bucket,
    claims: { total: total(claimsByContestation!), byContestation: byKey(Contestation, claimsByContestation!), byTopic: topics(claimsByTopic!) },
    assertions: {
      total: total(assertionsByStance!),
      byStance: byKey(Stance, assertionsByStance!),
      byContestation: byKey(Contestation, assertionsByContestation!),
      byTopic: topics(assertionsByTopic!),
    },
    reviews: { total: total(reviewsByStatus!), byStatus: byKey(ReviewStatus, reviewsByStatus!), byRating: byKey(ReviewRating, reviewsByRating!) },
    newClaims: await newClaimsPerBucket(app, q, params),
  };
}
