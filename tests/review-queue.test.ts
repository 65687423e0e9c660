import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * The review queue (SPEC §3.2): claims without a published review, contested
 * first, then by how many parties take a position, then by how recent the
 * latest assertion is; filtered by topic and party; paginated; each item
 * attributed (positions) and showing the current draft.
 */

let t: TestApp;
let reader: Client;
let reviewer: Client;
let admin: Client;
const ids = {} as Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7', string>;
let partyC: { id: string; slug: string; name: string };

type Named = { name: string }[];
type Item = { claim: { id: string; statement: string; positions: { affirms: Named; denies: Named; questions: Named; retracts: Named } }; partiesWithPosition: number; latestAssertionAt: string; draft: null | { id: string; status: string; author: { name: string } } };

async function review(claimId: string, reviewerParty: string) {
  const res = await reviewer.post(`/v1/claims/${claimId}/reviews`).send({ reviewerId: reviewerParty, rating: 'MIXED', ratingLabel: 'Mixed', summary: 'Some of both.' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const move = (id: string, to: string, by: Client, reason?: string) => by.post(`/v1/reviews/${id}/transitions`).send({ to, ...(reason && { reason }) });

async function whole(query = '', as: Client = reader): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res = await as.get(`/v1/review-queue?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(2);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

const order = (items: Item[]) => items.map((i) => Object.entries(ids).find(([, id]) => id === i.claim.id)?.[0]);

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  reviewer = await t.as('REVIEWER');
  admin = await t.as('ADMIN');
  const [a, b, c] = [await makeParty(t, { name: 'Alpha' }), await makeParty(t, { name: 'Beta' }), await makeParty(t, { name: 'Gamma' })];
  partyC = c;
  const newsroom = await makeParty(t, { name: 'Desk', kind: 'MEDIA' });

  ids.c1 = (await makeClaim(t, { party: a.id, assertedAt: '2026-01-10', topics: ['aid'] })).id;
  ids.c2 = (await makeClaim(t, { party: a.id, assertedAt: '2025-12-20', topics: ['ceasefire'] })).id;
  await addStance(t, ids.c2, b.id, 'DENIES', { assertedAt: '2026-01-01' });
  ids.c3 = (await makeClaim(t, { party: a.id, assertedAt: '2025-11-01', topics: ['ceasefire'] })).id;
  await addStance(t, ids.c3, b.id, 'DENIES', { assertedAt: '2025-11-15' });
  await addStance(t, ids.c3, c.id, 'QUESTIONS', { assertedAt: '2025-12-01' });
  ids.c4 = (await makeClaim(t, { party: a.id, assertedAt: '2026-01-01', topics: ['aid'] })).id;
  await addStance(t, ids.c4, b.id, 'AFFIRMS', { assertedAt: '2026-01-05' });
  ids.c5 = (await makeClaim(t, { party: a.id, assertedAt: '2026-01-02', topics: ['aid'] })).id;
  await addStance(t, ids.c5, b.id, 'AFFIRMS', { assertedAt: '2026-01-09' });
  ids.c6 = (await makeClaim(t, { party: a.id, assertedAt: '2026-01-11', topics: ['ceasefire'] })).id;
  await addStance(t, ids.c6, b.id, 'DENIES', { assertedAt: '2026-01-12' });
  ids.c7 = (await makeClaim(t, { party: a.id, assertedAt: '2025-01-01', topics: ['aid'] })).id;

  // c6 has a published verdict: off the queue. c7's verdict was withdrawn: back on it.
  for (const claim of [ids.c6, ids.c7]) {
    const id = await review(claim, newsroom.id);
    expect((await move(id, 'IN_REVIEW', reviewer)).status).toBe(200);
    expect((await move(id, 'PUBLISHED', admin)).status).toBe(200);
    if (claim === ids.c7) expect((await move(id, 'WITHDRAWN', admin, 'wrong rating')).status).toBe(200);
  }
  // c1 has a draft in review.
  const draft = await review(ids.c1, newsroom.id);
  expect((await move(draft, 'IN_REVIEW', reviewer)).status).toBe(200);
});
afterAll(() => t.close());

describe('GET /v1/review-queue', () => {
  it('orders contested claims first, then by parties taking a position, then by the latest assertion', async () => {
    const items = await whole();
    expect(order(items)).toEqual(['c3', 'c2', 'c5', 'c4', 'c1', 'c7']);
    expect(items.map((i) => i.partiesWithPosition)).toEqual([3, 2, 2, 2, 1, 1]);
    expect(items[2]!.latestAssertionAt).toBe('2026-01-09T00:00:00.000Z');
  });

  it('shows each claim with who affirms and who denies, never the bare statement', async () => {
    const [first] = await whole();
    expect(first!.claim.positions.affirms.map((p) => p.name)).toEqual(['Alpha']);
    expect(first!.claim.positions.denies.map((p) => p.name)).toEqual(['Beta']);
    expect(first!.claim.positions.questions.map((p) => p.name)).toEqual(['Gamma']);
  });

  it('shows the current draft’s status and author', async () => {
    const items = await whole('', reviewer);
    const c1 = items.find((i) => i.claim.id === ids.c1)!;
    expect(c1.draft).toMatchObject({ status: 'IN_REVIEW', author: { name: 'test REVIEWER' } });
    expect(items.find((i) => i.claim.id === ids.c2)!.draft).toBeNull();
  });

  it('hides drafts’ id, author and status from READER and EDITOR keys', async () => {
    for (const as of [reader, await t.as('EDITOR')]) {
      const items = await whole('', as);
      expect(items.find((i) => i.claim.id === ids.c1)).toBeDefined();
      expect(items.every((i) => i.draft === null)).toBe(true);
      expect(JSON.stringify(items)).not.toContain('test REVIEWER');
    }
  });

  it('answers a forged cursor whose values overflow the database types with 400, not 422', async () => {
    for (const values of [[1, 2 ** 40, '1', '019a4a10-0000-7000-8000-000000000001'], [1, 2, '9999999999999999999', '019a4a10-0000-7000-8000-000000000001']]) {
      const res = await reader.get(`/v1/review-queue?cursor=${Buffer.from(JSON.stringify(values)).toString('base64url')}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('cursor');
    }
  });

  it('filters by topic and by party (id, slug or name); an unknown party is a 422', async () => {
    expect(order(await whole('&topic=ceasefire'))).toEqual(['c3', 'c2']);
    expect(order(await whole(`&party=${partyC.slug}`))).toEqual(['c3']);
    expect(order(await whole(`&party=${partyC.id}&topic=aid`))).toEqual([]);
    expect(order(await whole(`&party=${encodeURIComponent(partyC.name.toUpperCase())}`))).toEqual(['c3']);
    const unknown = await reader.get('/v1/review-queue?party=no-such-party');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ type: '/problems/unknown-party', errors: [{ path: 'party', message: 'no such party' }] });
  });

  it('drops a claim once a verdict on it is published', async () => {
    const newsroom = await makeParty(t, { kind: 'MEDIA' });
    const id = await review(ids.c5, newsroom.id);
    await move(id, 'IN_REVIEW', reviewer);
    expect((await move(id, 'PUBLISHED', admin)).status).toBe(200);
    expect(order(await whole())).toEqual(['c3', 'c2', 'c4', 'c1', 'c7']);
  });

  it('refuses a bad cursor and unknown parameters (400), and anonymous callers (401)', async () => {
    expect((await reader.get('/v1/review-queue?cursor=abc')).status).toBe(400);
    const forged = Buffer.from(JSON.stringify([1, 2, "1' OR 1=1", 'x'])).toString('base64url');
    const res = await reader.get(`/v1/review-queue?cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('cursor');
    expect((await reader.get('/v1/review-queue?sort=new')).status).toBe(400);
    expect((await t.anonymous.get('/v1/review-queue')).status).toBe(401);
  });
});
