import { loadFixtures } from '../src/seed/load';
import { startTestApp, type Client, type TestApp } from './helpers/app';

/*
 * A date written another way (03/11/2025, 3 Nov 2025, 2025-11-03 10:15 without
 * an offset) is refused with a 400 whose message names the forms accepted,
 * wherever the API takes a date or an instant (issue 15).
 */

const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const TURKIYE = '019a4a10-0000-7000-8001-000000000001';
const FIDAN_PRESSER = '019a4a10-0000-7000-8003-000000000003';
const DAY_OR_INSTANT = /YYYY-MM-DD.*2025-11-03T10:15:00\+03:00/;
const DAY_ONLY = /YYYY-MM-DD \(2025-11-03\)/;

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await startTestApp();
  await loadFixtures(t.ctx);
  admin = await t.as('ADMIN');
});
afterAll(() => t.close());

type Problem = { status: number; detail: string; errors: { path: string; message: string }[] };

function expectNamedForms(res: { status: number; body: Problem }, field: string, forms: RegExp) {
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([{ path: field, message: expect.stringMatching(forms) }]);
}

describe.each(['03/11/2025', '3 Nov 2025', '2025-11-03 10:15', '2025-13-45', '20251103'])('%s', (given) => {
  const q = encodeURIComponent(given);
  test.each([
    ['/v1/parties/turkiye/statements?from=', 'from'],
    ['/v1/claims?from=', 'from'],
    ['/v1/stats?to=', 'to'],
    ['/v1/reports/claims?from=', 'from'],
    ['/v1/audit/events?from=', 'from'],
    [`/v1/claims/${CEASEFIRE}?asOf=`, 'asOf'],
  ])('GET %s… answers 400 naming a day or an instant', async (path, field) => {
    expectNamedForms(await admin.get(`${path}${q}`), field, DAY_OR_INSTANT);
  });

  test('the ClaimReview export, which takes days, names the day form', async () => {
    expectNamedForms(await admin.get(`/v1/exports/claimreview?from=${q}`), 'from', DAY_ONLY);
  });

  test('in a body too: an assertion’s assertedAt, a source’s publishedAt, an affiliation’s from', async () => {
    const assertion = { partyId: TURKIYE, sourceId: FIDAN_PRESSER, stance: 'AFFIRMS', quote: 'Israel was regularly violating it', quoteKind: 'DIRECT', assertedAt: given };
    expectNamedForms(await admin.post(`/v1/claims/${CEASEFIRE}/assertions`, assertion), 'assertedAt', DAY_OR_INSTANT);
    expectNamedForms(await admin.post('/v1/sources', { kind: 'ARTICLE', title: 'A report', publishedAt: given }), 'publishedAt', DAY_OR_INSTANT);
    expectNamedForms(await admin.post('/v1/parties/hakan-fidan/affiliations', { partyId: 'pakistan', role: 'Envoy', from: given }), 'from', DAY_ONLY);
  });
});

test('the accepted forms are accepted', async () => {
  for (const from of ['2025-11-03', '2025-11-03T10:15:00%2B03:00', '2025-11-03T07:15:00Z']) {
    const res = await admin.get(`/v1/parties/turkiye/statements?from=${from}&limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
  }
});
