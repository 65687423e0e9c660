import { startTestApp, type TestApp } from './helpers/app';
import { makeClaim, makeParty } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('a verdict published on a duplicate shows in the dossier of the claim it was merged into', async () => {
  const duplicate = await makeClaim(t, { statement: 'Israel keeps violating the truce' });
  const survivor = await makeClaim(t, { statement: 'Israel is regularly violating the Gaza ceasefire' });
  const newsroom = await makeParty(t, { kind: 'MEDIA' });
  const reviewer = await t.as('REVIEWER');
  const admin = await t.as('ADMIN');

  const draft = await reviewer.post(`/v1/claims/${duplicate.id}/reviews`).send({
    reviewerId: newsroom.id,
    rating: 'DISPUTED',
    ratingLabel: 'Disputed by the parties',
    summary: 'Türkiye says so; Israel disputes it.',
  });
  expect(draft.status).toBe(201);
  await reviewer.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'IN_REVIEW' }).expect(200);
  await admin.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'PUBLISHED' }).expect(200);

  const editor = await t.as('EDITOR');
  await editor.post(`/v1/claims/${duplicate.id}/merge`).send({ intoClaimId: survivor.id }).expect(200);

  const dossier = await editor.get(`/v1/claims/${survivor.id}`).expect(200);
  expect(dossier.body.reviews.map((r: { id: string }) => r.id)).toEqual([draft.body.id]);
});
