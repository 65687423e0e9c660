import { startTestApp, type TestApp } from './helpers/app';
import { makeClaim, makeParty } from './helpers/factories';

/*
 * What a queue card needs to be true (issue 10): a contested claim names the
 * parties that counter it, not only those that affirm it; an undated
 * assertion is not shown as said today.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Item = { claim: { id: string; contestation: string }; counteredBy: { name: string }[]; latestAssertedAt: string | null; latestAssertionAt: string };

async function queue(): Promise<Item[]> {
  const reader = await t.as('READER');
  const res = await reader.get('/v1/review-queue?limit=50');
  expect(res.status).toBe(200);
  return res.body.data;
}

describe('review-queue cards', () => {
  it('names the parties that counter a claim, through an active assertion of the counter-claim', async () => {
    const [turkiye, israel] = [await makeParty(t, { name: 'Türkiye' }), await makeParty(t, { name: 'Israel' })];
    const violating = await makeClaim(t, { party: turkiye.id, assertedAt: '2025-11-03' });
    const hamas = await makeClaim(t, { party: israel.id, assertedAt: '2025-11-03' });
    const editor = await t.as('EDITOR');
    const rel = await editor.post(`/v1/claims/${hamas.id}/relations`).send({ type: 'COUNTERS', targetClaimId: violating.id, basis: 'PARTY', assertionId: hamas.positions.affirms![0]!.assertionId });
    expect(rel.status).toBe(201);
    const card = (await queue()).find((i) => i.claim.id === violating.id)!;
    expect(card.claim.contestation).toBe('contested');
    expect(card.counteredBy.map((p) => p.name)).toEqual(['Israel']);
    expect((await queue()).find((i) => i.claim.id === hamas.id)!.counteredBy).toEqual([]);
  });

  it('gives no "said on" date to a claim whose assertions are undated', async () => {
    const undated = await makeClaim(t, {});
    const dated = await makeClaim(t, { assertedAt: '2025-11-03' });
    const items = await queue();
    const u = items.find((i) => i.claim.id === undated.id)!;
    expect(u.latestAssertedAt).toBeNull();
    expect(u.latestAssertionAt.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10)); // recorded today: the sort key
    expect(items.find((i) => i.claim.id === dated.id)!.latestAssertedAt).toBe('2025-11-03T00:00:00.000Z');
  });
});
