import { Contestation, ReviewRating, ReviewStatus, Stance } from '../../generated/prisma/enums';
import type { AppContext, Caller } from '../../http/context';
import { mayReadDrafts } from '../reviews/visibility';
import { UnprocessableError } from '../../shared/errors';
import { bucketBounds, claimsPerBucket, periodCounts, type Count, type Period } from './repository';
import type { StatsQuery } from './schema';

/** More buckets than this is a query mistake (a day bucket over decades), not a chart. */
const MAX_BUCKETS = 1000;

/** Every value of an enum, with zero for those that do not occur. */
function byKey(values: Record<string, string>, rows: Count[]): Record<string, number> {
  const out = Object.fromEntries(Object.keys(values).map((k) => [k, 0]));
  for (const r of rows) out[r.key] = Number(r.n);
  return out;
}

const topics = (rows: Count[]) => rows.map((r) => ({ topic: r.key, count: Number(r.n) }));
const total = (rows: Count[]) => rows.reduce((sum, r) => sum + Number(r.n), 0);

/** Claims created per bucket (UTC; weeks start on Monday), empty buckets included. */
async function newClaimsPerBucket(app: AppContext, q: StatsQuery, period: Period) {
  const { lo, hi, buckets } = (await bucketBounds(app.prisma, period, q.bucket)) ?? {};
  if (!lo || !hi) return [];
  if (Number(buckets) > MAX_BUCKETS) {
    throw new UnprocessableError('too-many-buckets', `The period holds more than ${MAX_BUCKETS} ${q.bucket} buckets; choose a larger bucket or a shorter period`, [
      { path: 'bucket', message: 'too fine for this period' },
    ]);
  }
  return (await claimsPerBucket(app.prisma, period, q.bucket, { lo, hi })).map((r) => ({ bucket: r.bucket, count: Number(r.n) }));
}

/** Counts for dashboards (SPEC §3.2): what was recorded in the period, and how it stands now. */
export async function stats(app: AppContext, caller: Caller, q: StatsQuery) {
  const period: Period = [q.from ?? null, q.to ?? null];
  const c = await periodCounts(app.prisma, period, mayReadDrafts(caller));
  return {
    from: q.from?.toISOString() ?? null,
    to: q.to?.toISOString() ?? null,
    bucket: q.bucket,
    claims: { total: total(c.claimsByContestation), byContestation: byKey(Contestation, c.claimsByContestation), byTopic: topics(c.claimsByTopic) },
    assertions: {
      total: total(c.assertionsByStance),
      byStance: byKey(Stance, c.assertionsByStance),
      byContestation: byKey(Contestation, c.assertionsByContestation),
      byTopic: topics(c.assertionsByTopic),
    },
    reviews: { total: total(c.reviewsByStatus), byStatus: byKey(ReviewStatus, c.reviewsByStatus), byRating: byKey(ReviewRating, c.reviewsByRating) },
    newClaims: await newClaimsPerBucket(app, q, period),
  };
}
