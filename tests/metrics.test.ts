import request from 'supertest';
import { createApp } from '../src/app';
import { createLogger } from '../src/shared/logger';
import { startTestApp, testConfig, type TestApp } from './helpers/app';
import { claimReviewFixture } from './helpers/claimreview';
import { expectProblem } from './helpers/problems';
import { histogramCount, parseMetrics, sample, valueOf } from './helpers/prometheus';

/*
 * GET /metrics (issue 14): Prometheus text, parsed here by a Prometheus text parser, with the counters moving.
 * prom-client (15.x) only writes the format (metrics(), getMetricsAsJSON()) and has no parser of its own:
 * the text is read back with parse-prometheus-text-format (tests/helpers/prometheus.ts).
 */

const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;
let http: ReturnType<typeof request>;
beforeAll(async () => {
  t = await startTestApp();
  http = request(createApp({ db: t.db, config: testConfig({ metricsToken: TOKEN }), logger: createLogger('silent') }));
});
afterAll(() => t.close());

async function scrapeText(): Promise<string> {
  const res = await http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}
const scrape = async () => parseMetrics(await scrapeText());

test('without the token /metrics is 401; without METRICS_TOKEN it is off (404)', async () => {
  expectProblem(await http.get('/metrics'), 401);
  expectProblem(await http.get('/metrics').set('Authorization', 'Bearer wrong-token-0000000000000'), 401);
  const off = request(createApp({ db: t.db, config: testConfig(), logger: createLogger('silent') }));
  expect(expectProblem(await off.get('/metrics').set('Authorization', `Bearer ${TOKEN}`), 404).detail).toMatch(/METRICS_TOKEN/);
});

test('the process default metrics are there', async () => {
  const m = await scrape();
  expect(m.get('process_cpu_user_seconds_total')?.type).toBe('COUNTER');
  expect(m.get('nodejs_heap_size_used_bytes')?.type).toBe('GAUGE');
  expect(m.get('nodejs_eventloop_lag_seconds')).toBeDefined();
});

test('requests are counted and timed by route template and status, never by raw path', async () => {
  const reader = await t.keyFor('READER');
  const id = '019a4a10-dead-7000-8000-00000000beef';
  const labels = { method: 'GET', route: '/v1/claims/:id', status: '404' };
  const beforeText = await scrapeText();
  for (let i = 0; i < 3; i += 1) await http.get(`/v1/claims/${id}`).set('Authorization', `Bearer ${reader}`);
  const afterText = await scrapeText();
  const [before, after] = [parseMetrics(beforeText), parseMetrics(afterText)];
  expect(valueOf(after, 'counterpoint_http_requests_total', labels) - valueOf(before, 'counterpoint_http_requests_total', labels)).toBe(3);
  expect(after.get('counterpoint_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
  const timed = (text: string) => histogramCount(text, 'counterpoint_http_request_duration_seconds', labels);
  expect(timed(afterText) - timed(beforeText)).toBe(3);
  expect(after.get('counterpoint_http_requests_total')!.metrics.some((s) => s.labels?.route?.includes(id))).toBe(false);
});

test('the audit head seq follows writes', async () => {
  const editor = await t.keyFor('EDITOR');
  const before = valueOf(await scrape(), 'counterpoint_audit_head_seq');
  const res = await http.post('/v1/parties').set('Authorization', `Bearer ${editor}`).send({ name: `Metrics party ${Date.now()}`, kind: 'STATE' });
  expect(res.status).toBe(201);
  expect(valueOf(await scrape(), 'counterpoint_audit_head_seq')).toBeGreaterThan(before);
});

test('ClaimReview import items are counted by outcome', async () => {
  const reviewer = await t.keyFor('REVIEWER');
  const doc = claimReviewFixture('single.jsonld');
  const count = async (outcome: string) => valueOf(await scrape(), 'counterpoint_claimreview_import_items_total', { outcome });
  const [imported, duplicate] = [await count('imported'), await count('duplicate')];
  const post = () => http.post('/v1/imports/claimreview').set('Authorization', `Bearer ${reviewer}`).set('Content-Type', 'application/ld+json').send(doc);
  expect((await post()).status).toBe(200);
  expect(await count('imported')).toBe(imported + 1);
  expect((await post()).status).toBe(200);
  expect(await count('duplicate')).toBe(duplicate + 1);
});

test('pool connections by state, and the counters other modules move, are exposed', async () => {
  const m = await scrape();
  expect(m.get('counterpoint_transaction_retries_total')?.type).toBe('COUNTER');
  expect(m.get('counterpoint_draft_checks_total')?.type).toBe('COUNTER');
  if (t.db.kind !== 'postgres') return console.warn('skipped: pool figures need PostgreSQL (DATABASE_URL)');
  for (const state of ['in_use', 'idle', 'waiting']) expect(sample(m, 'counterpoint_db_pool_connections', { pool: 'primary', state })).toBeDefined();
  expect(valueOf(m, 'counterpoint_db_pool_connections', { pool: 'primary', state: 'idle' }) + valueOf(m, 'counterpoint_db_pool_connections', { pool: 'primary', state: 'in_use' })).toBeGreaterThan(0);
});

test('draft checks are counted', async () => {
  const reader = await t.keyFor('READER');
  const before = valueOf(await scrape(), 'counterpoint_draft_checks_total');
  const res = await http.post('/v1/drafts/check').set('Authorization', `Bearer ${reader}`).send({ text: 'The ministry said the crossing will open on Monday.' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual(expect.any(Object));
  expect(valueOf(await scrape(), 'counterpoint_draft_checks_total')).toBe(before + 1);
});
