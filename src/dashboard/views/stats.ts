import { get, REVIEW_STATUSES, type Contestation, type Stats } from '../api';
import { route, type View } from '../context';
import { barChart, stackedColumns } from '../charts';
import { counted, h, humanize } from '../dom';
import { bucketEnd, bucketLabel } from '../lib/period';
import { select } from '../ui';

const CONTESTATIONS: Contestation[] = ['contested', 'uncontested', 'retracted'];
const MAX_COLUMNS = 12;

/** Charts of what the desk holds: claims by topic, contestation over time, reviews by status. */
export const statsView: View = async (ctx) => {
  const bucket = (ctx.query.get('bucket') ?? 'week') as 'day' | 'week' | 'month';
  const stats = await get<Stats>('/v1/stats', { bucket });
  // Contestation per bucket: the claims created in each of the latest buckets, by how contested they are now.
  const buckets = stats.newClaims.slice(-MAX_COLUMNS);
  const perBucket = await Promise.all(
    buckets.map(async (b) => (b.count ? get<Stats>('/v1/stats', { from: b.bucket, to: bucketEnd(b.bucket, bucket), bucket }) : null)),
  );

  const bucketSelect = select('bucket', [['day', 'day'], ['week', 'week'], ['month', 'month']], bucket, { id: 'stats-bucket' });
  bucketSelect.addEventListener('change', () => ctx.go(route('#/stats', { bucket: bucketSelect.value })));

  return h(
    'section',
    null,
    h('h1', { tabindex: '-1' }, 'Statistics'),
    h(
      'p',
      { class: 'lede' },
      `${counted(stats.claims.total, 'claim')} (${stats.claims.byContestation.contested} contested), ${counted(stats.assertions.total, 'active assertion')}, ${counted(stats.reviews.total, 'review')}.`,
    ),
    h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'stats-bucket' }, 'Period'), bucketSelect)),
    h(
      'div',
      { class: 'charts' },
      barChart('Claims by topic', stats.claims.byTopic.map((t) => ({ label: t.topic, value: t.count }))),
      stackedColumns(
        `Claims per ${bucket}, by contestation`,
        buckets.map((b, i) => ({
          label: bucketLabel(b.bucket, bucket),
          parts: CONTESTATIONS.map((c) => ({ label: c, value: perBucket[i]?.claims.byContestation[c] ?? 0, cls: `fill-${c}` })),
        })),
        CONTESTATIONS.map((c) => ({ label: c, value: 0, cls: `fill-${c}` })),
      ),
      barChart('Claims by contestation', CONTESTATIONS.map((c) => ({ label: c, value: stats.claims.byContestation[c], cls: `fill-${c}` }))),
      barChart('Reviews by status', REVIEW_STATUSES.map((st) => ({ label: humanize(st), value: stats.reviews.byStatus[st] ?? 0, cls: `fill-${st.toLowerCase()}` }))),
      barChart('Assertions by stance', Object.entries(stats.assertions.byStance).map(([k, v]) => ({ label: humanize(k), value: v, cls: `fill-${k.toLowerCase()}` }))),
    ),
  );
};
