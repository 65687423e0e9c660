import { presentDossier, relatedClaimIds } from '../src/modules/claims/presenter';
import { loadDossierRow, loadPositionSummaries } from '../src/modules/claims/repository';
import { contentEtag } from '../src/http/etag';
import { presentReview } from '../src/modules/reviews/presenter';
import { loadPublishedReviews } from '../src/modules/reviews/repository';
import { startTestApp, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makePerson, makeSource } from './helpers/factories';

/*
 * GET /v1/claims/{id} is written by one statement in PostgreSQL
 * (claims/dossier-sql.ts); the as-of dossier and the reports present the same
 * shape from rows (presentDossier). The two must stay byte for byte alike:
 * the ETag of a GET is what a PATCH's If-Match is checked against.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The dossier as presentDossier writes it from Prisma's rows. */
async function presented(id: string): Promise<string> {
  const row = await loadDossierRow(t.db.prisma, id);
  const summaries = await loadPositionSummaries(t.db.prisma, relatedClaimIds(row));
  const reviews = await loadPublishedReviews(t.db.prisma, [id, ...row.mergedFrom.map((m) => m.id)]);
  return JSON.stringify(presentDossier(row, summaries, reviews.map((r) => presentReview(r, row.statement))));
}

test('the dossier the database writes is the one presentDossier writes, with every kind of field filled', async () => {
  const editor = await t.as('EDITOR');
  const reviewer = await t.as('REVIEWER');
  const admin = await t.as('ADMIN');
  const turkiye = await makeParty(t, { name: 'Türkiye', aliases: ['Turkey'] });
  const israel = await makeParty(t, { name: 'إسرائيل' });
  const newsroom = await makeParty(t, { name: 'Newsroom "Quotes"\\', kind: 'MEDIA' });
  const fidan = await makePerson(t, { name: 'Hakan Fidan' });
  const source = await makeSource(t, { text: 'Fidan said: Israel is "regularly"\nviolating the ceasefire.', publisherId: newsroom.id });
  const claim = await makeClaim(t, {
    statement: 'Israel is regularly violating the Gaza ceasefire',
    party: turkiye.id,
    speaker: fidan.id,
    source: source.id,
    quote: 'Israel is "regularly"\nviolating the ceasefire',
    quoteKind: 'DIRECT',
    subjects: [israel.id, turkiye.id],
    topics: ['ceasefire', 'gaza'],
    assertedAt: '2025-11-03',
    language: 'tr',
  });
  await addStance(t, claim.id, israel.id, 'DENIES', { assertedAt: '2025-11-04T10:15:30.123Z', occasion: 'press briefing' });
  const withdrawn = await addStance(t, claim.id, newsroom.id, 'QUESTIONS');
  await editor.post(`/v1/assertions/${withdrawn.assertionId}/withdraw`).send({ reason: 'misread' }).expect(200);

  // Counter-claims both ways, by a party and editorial.
  const counter = await makeClaim(t, { statement: 'The ceasefire holds', party: israel.id });
  const counterAssertion = counter.positions.affirms![0]!.assertionId;
  await editor.post(`/v1/claims/${counter.id}/relations`).send({ type: 'COUNTERS', targetClaimId: claim.id, basis: 'PARTY', assertionId: counterAssertion }).expect(201);
  const supported = await makeClaim(t, { statement: 'Aid is blocked at the crossing' });
  await editor.post(`/v1/claims/${claim.id}/relations`).send({ type: 'SUPPORTS', targetClaimId: supported.id, basis: 'EDITORIAL', note: 'same week' }).expect(201);

  // A published verdict on a duplicate merged into the claim.
  const duplicate = await makeClaim(t, { statement: 'Israel keeps violating the truce' });
  const draft = await reviewer.post(`/v1/claims/${duplicate.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'DISPUTED', ratingLabel: 'Disputed', summary: 'Türkiye says so; Israel disputes it.' });
  expect(draft.status).toBe(201);
  await reviewer.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'IN_REVIEW' }).expect(200);
  await admin.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'PUBLISHED' }).expect(200);
  await editor.post(`/v1/claims/${duplicate.id}/merge`).send({ intoClaimId: claim.id }).expect(200);

  const res = await editor.get(`/v1/claims/${claim.id}`).expect(200);
  expect(res.body.reviews).toHaveLength(1);
  expect(res.body.counterClaims.map((l: { claim: { id: string } }) => l.claim.id)).toEqual([counter.id]);
  expect(res.body.supportingClaims.map((l: { note: string }) => l.note)).toEqual(['same week']);
  expect(res.body.history).toHaveLength(4); // with the duplicate's, moved by the merge
  expect(res.body.attributedSummary).toContain('Hakan Fidan');
  expect(res.text).toBe(await presented(claim.id));
  expect(res.headers.etag).toBe(contentEtag(res.body));
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
});

test('a merged claim still redirects to its survivor, and an unknown one is a 404 problem', async () => {
  const editor = await t.as('EDITOR');
  const a = await makeClaim(t);
  const b = await makeClaim(t);
  await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id }).expect(200);
  const moved = await editor.get(`/v1/claims/${a.id}`);
  expect([301, 308]).toContain(moved.status);
  expect(moved.headers.location).toBe(`/v1/claims/${b.id}`);
  const missing = await editor.get('/v1/claims/019a4a10-0000-7000-8000-00000000dead').expect(404);
  expect(missing.body.status).toBe(404);
});
