import { startTestApp, type TestApp } from './helpers/app';
import { makeClaim, makeParty } from './helpers/factories';

/* Found by the replay property test: a party that reviewed a claim could not be deleted, and answered 500 instead of 409. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('DELETE of a party that is the reviewer of a review answers 409 party-in-use, counting the reviews', async () => {
  const newsroom = await makeParty(t, { kind: 'MEDIA' });
  const claim = await makeClaim(t);
  const review = await (await t.as('REVIEWER')).post(`/v1/claims/${claim.id}/reviews`, { reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 'Both sides have a point.' });
  expect(review.status).toBe(201);
  const res = await (await t.as('EDITOR')).delete(`/v1/parties/${newsroom.id}`);
  expect(res.status).toBe(409);
  expect(res.body).toMatchObject({ type: '/problems/party-in-use', references: { reviews: 1 } });
  expect((await (await t.as('READER')).get(`/v1/parties/${newsroom.id}`)).status).toBe(200);
});
