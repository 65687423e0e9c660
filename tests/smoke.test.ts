import { startTestApp, type TestApp } from './helpers/app';
import { makeClaim } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('a created claim reads back as a dossier', async () => {
  const claim = await makeClaim(t, { statement: 'The sky is green' });
  const reader = await t.as('READER');
  const res = await reader.get(`/v1/claims/${claim.id}`);
  expect(res.status).toBe(200);
  expect(res.body.statement).toBe('The sky is green');
});
