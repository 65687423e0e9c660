import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * Dashboard counts (SPEC §3.2) against data made here and counted by hand:
 * three claims (contested, uncontested, retracted), five active assertions,
 * two reviews, dated in January 2026.
 */

let t: TestApp;
let reader: Client;
let reviewer: Client;

async function setDate(table: string, where: string, id: string, at: string) {
  await t.db.sql.query(`UPDATE ${table} SET created_at = $2::timestamptz WHERE ${where} = $1::uuid`, [id, at]);
}

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  reviewer = await t.as('REVIEWER');
  const admin = await t.as('ADMIN');
  const [a, b] = [await makeParty(t), await makeParty(t)];
  const c1 = await makeClaim(t, { party: a.id, topics: ['ceasefire', 'aid'] });
  await addStance(t, c1.id, b.id, 'DENIES');
  const c2 = await makeClaim(t, { party: a.id, topics: ['ceasefire'] });
  const c3 = await makeClaim(t, { party: a.id, topics: ['aid'] });
  await addStance(t, c3.id, a.id, 'RETRACTS');
  // A withdrawn assertion does not count.
  const withdrawn = await addStance(t, c2.id, b.id, 'QUESTIONS');
  expect((await (await t.as('EDITOR')).post(`/v1/assertions/${withdrawn.assertionId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);

  for (const [claim, at] of [[c1.id, '2026-01-05T10:00:00Z'], [c2.id, '2026-01-06T10:00:00Z'], [c3.id, '2026-01-20T10:00:00Z']] as const) {
    await setDate('claim', 'id', claim, at);
    await setDate('assertion', 'claim_id', claim, at);
  }
  const newsroom = await makeParty(t, { kind: 'MEDIA' });
  const published = await reviewer.post(`/v1/claims/${c1.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Karışık', summary: 's' });
  await reviewer.post(`/v1/reviews/${published.body.id}/transitions`).send({ to: 'IN_REVIEW' });
  expect((await admin.post(`/v1/reviews/${published.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
  const draft = await reviewer.post(`/v1/claims/${c2.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'UNSUPPORTED', ratingLabel: 'False', summary: 's' });
  await setDate('review', 'id', published.body.id, '2026-01-10T00:00:00Z');
  await setDate('review', 'id', draft.body.id, '2026-01-21T00:00:00Z');
});
afterAll(() => t.close());

describe('GET /v1/stats', () => {
  it('counts claims, assertions and reviews by topic, stance, contestation, status and rating', async () => {
    const res = await reader.get('/v1/stats');
    expect(res.status).toBe(200);
    expect(res.body.claims).toEqual({
      total: 3,
      byContestation: { uncontested: 1, contested: 1, retracted: 1 },
      byTopic: [{ topic: 'aid', count: 2 }, { topic: 'ceasefire', count: 2 }],
    });
    expect(res.body.assertions).toEqual({
      total: 5,
      byStance: { AFFIRMS: 3, DENIES: 1, QUESTIONS: 0, RETRACTS: 1 },
      byContestation: { uncontested: 1, contested: 2, retracted: 2 },
      byTopic: [{ topic: 'aid', count: 4 }, { topic: 'ceasefire', count: 3 }],
    });
    // A READER sees the published verdict only: drafts are the desk's.
    expect(res.body.reviews).toEqual({
      total: 1,
      byStatus: { DRAFT: 0, IN_REVIEW: 0, PUBLISHED: 1, WITHDRAWN: 0 },
      byRating: { SUPPORTED: 0, MOSTLY_SUPPORTED: 0, MIXED: 1, MOSTLY_UNSUPPORTED: 0, UNSUPPORTED: 0, UNVERIFIABLE: 0, DISPUTED: 0 },
    });
  });

  it('counts drafts for REVIEWER keys only, never for READER and EDITOR keys', async () => {
    const desk = await reviewer.get('/v1/stats');
    expect(desk.body.reviews).toEqual({
      total: 2,
      byStatus: { DRAFT: 1, IN_REVIEW: 0, PUBLISHED: 1, WITHDRAWN: 0 },
      byRating: { SUPPORTED: 0, MOSTLY_SUPPORTED: 0, MIXED: 1, MOSTLY_UNSUPPORTED: 0, UNSUPPORTED: 1, UNVERIFIABLE: 0, DISPUTED: 0 },
    });
    const editor = await (await t.as('EDITOR')).get('/v1/stats');
    expect(editor.body.reviews).toMatchObject({ total: 1, byStatus: { DRAFT: 0, PUBLISHED: 1 }, byRating: { UNSUPPORTED: 0 } });
  });

  it('counts new claims per day, including empty days, with `to` meaning the end of that day', async () => {
    const res = await reader.get('/v1/stats?from=2026-01-05&to=2026-01-07&bucket=day');
    expect(res.status).toBe(200);
    expect(res.body.newClaims).toEqual([
      { bucket: '2026-01-05', count: 1 },
      { bucket: '2026-01-06', count: 1 },
      { bucket: '2026-01-07', count: 0 },
    ]);
    expect(res.body.claims.total).toBe(2);
    expect(res.body.assertions.total).toBe(3);
  });

  it('counts per week (starting Monday) and per month', async () => {
    const weeks = await reader.get('/v1/stats?from=2026-01-01&to=2026-01-31&bucket=week');
    expect(weeks.body.newClaims).toEqual([
      { bucket: '2025-12-29', count: 0 },
      { bucket: '2026-01-05', count: 2 },
      { bucket: '2026-01-12', count: 0 },
      { bucket: '2026-01-19', count: 1 },
      { bucket: '2026-01-26', count: 0 },
    ]);
    const months = await reader.get('/v1/stats?from=2026-01-01&to=2026-02-15&bucket=month');
    expect(months.body.newClaims).toEqual([{ bucket: '2026-01-01', count: 3 }, { bucket: '2026-02-01', count: 0 }]);
    const all = await reader.get('/v1/stats?bucket=month');
    expect(all.body.newClaims).toEqual([{ bucket: '2026-01-01', count: 3 }]);
  });

  it('limits every count to the period', async () => {
    const res = await reader.get('/v1/stats?from=2026-01-15T00:00:00Z');
    expect(res.body.claims).toMatchObject({ total: 1, byContestation: { retracted: 1, contested: 0, uncontested: 0 } });
    expect(res.body.assertions).toMatchObject({ total: 2, byStance: { AFFIRMS: 1, RETRACTS: 1, DENIES: 0, QUESTIONS: 0 } });
    expect(res.body.reviews).toMatchObject({ total: 0, byStatus: { DRAFT: 0, PUBLISHED: 0 } });
    expect((await reviewer.get('/v1/stats?from=2026-01-15T00:00:00Z')).body.reviews).toMatchObject({ total: 1, byStatus: { DRAFT: 1, PUBLISHED: 0 } });
    const empty = await reader.get('/v1/stats?from=2027-01-01');
    expect(empty.body.claims.total).toBe(0);
    expect(empty.body.newClaims).toEqual([]);
  });

  it('refuses a reversed period, an unknown bucket and too many buckets', async () => {
    expect((await reader.get('/v1/stats?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await reader.get('/v1/stats?bucket=year')).status).toBe(400);
    expect((await reader.get('/v1/stats?from=2000-01-01&to=2026-01-01&bucket=day')).status).toBe(422);
  });
});
