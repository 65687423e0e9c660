import { startTestApp, type Client, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makeSource } from './helpers/factories';
import { expectProblem } from './helpers/problems';

/*
 * Issue 13: wherever a list is filtered by a party — the review queue, the
 * claims report, the sources by publisher — the filter takes an id, a slug,
 * a name or an alias (accent- and case-folded), as search does; an unknown
 * or misspelled party is a 422 naming the closest ones, never an empty list.
 */

let t: TestApp;
let reader: Client;
const tag = Date.now().toString(36);
let jordan: { id: string; slug: string; name: string };
let israel: { id: string; slug: string; name: string };
let jordanClaim: string;
let israelClaim: string;
let jordanSource: string;

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  jordan = await makeParty(t, { name: `Ürdün ${tag}`, aliases: [`Hashemite Kingdom ${tag}`, `الأردن ${tag}`], kind: 'STATE' });
  israel = await makeParty(t, { name: `Israel ${tag}`, kind: 'STATE' });
  const media = await makeParty(t, { name: `Petra Agency ${tag}`, aliases: [`وكالة الأنباء ${tag}`], kind: 'MEDIA' });
  jordanSource = (await makeSource(t, { title: `Amman briefing ${tag}`, publisherId: media.id })).id;
  jordanClaim = (await makeClaim(t, { party: jordan.id, statement: `Aid convoys crossed at Allenby ${tag}` })).id;
  israelClaim = (await makeClaim(t, { party: israel.id, statement: `The crossing stayed closed ${tag}` })).id;
});
afterAll(() => t.close());

const names = [
  (p: () => typeof jordan) => p().slug,
  (p: () => typeof jordan) => p().id,
  () => `URDUN ${tag}`,
  () => `hashemite kingdom ${tag}`,
  () => `الأردن ${tag}`,
];

describe('the review queue', () => {
  test('party= takes a name or an alias, in Turkish, English and Arabic, folded', async () => {
    for (const name of names) {
      const res = await reader.get(`/v1/review-queue?limit=50&party=${encodeURIComponent(name(() => jordan))}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((i: { claim: { id: string } }) => i.claim.id)).toEqual([jordanClaim]);
    }
  });

  test('a misspelled party is a 422 naming the closest, not an empty queue', async () => {
    const problem = expectProblem(await reader.get(`/v1/review-queue?party=${encodeURIComponent(`Isreal ${tag}`)}`), 422);
    expect(problem.suggestions[0].id).toBe(israel.id);
    expect(problem.detail).toContain(`Israel ${tag} (${israel.slug})`);
    expect(problem.errors).toEqual([{ path: 'party', message: 'no such party' }]);
  });
});

describe('the claims report', () => {
  test('party= by alias gives that party’s claims only', async () => {
    const res = await reader.get(`/v1/reports/claims?party=${encodeURIComponent(`HASHEMITE KINGDOM ${tag}`)}`);
    expect(res.status).toBe(200);
    expect(res.body.claims.map((c: { id: string }) => c.id)).toEqual([jordanClaim]);
    expect(res.body.filters.party).toBe(`HASHEMITE KINGDOM ${tag}`);
    const both = await reader.get(`/v1/reports/claims?party=${encodeURIComponent(`israel ${tag}`)}`);
    expect(both.body.claims.map((c: { id: string }) => c.id)).toEqual([israelClaim]);
  });

  test('an unknown party is a 422 before any of the report is written, in every format', async () => {
    for (const format of ['json', 'csv', 'html']) {
      const res = await reader.get(`/v1/reports/claims?format=${format}&party=${encodeURIComponent(`Urdn ${tag}`)}`);
      const problem = expectProblem(res, 422);
      expect(problem.suggestions.map((p: { id: string }) => p.id)).toContain(jordan.id);
    }
  });
});

describe('sources by publisher', () => {
  test('publisher= takes the publisher’s name or its Arabic alias', async () => {
    for (const ref of [`petra agency ${tag}`, `وكالة الأنباء ${tag}`]) {
      const res = await reader.get(`/v1/sources?publisher=${encodeURIComponent(ref)}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([jordanSource]);
    }
  });

  test('an unknown publisher is a 422 on publisher, naming the closest', async () => {
    const problem = expectProblem(await reader.get(`/v1/sources?publisher=${encodeURIComponent(`Petra Agncy ${tag}`)}`), 422);
    expect(problem.errors).toEqual([{ path: 'publisher', message: 'no such party' }]);
    expect(problem.suggestions[0].name).toBe(`Petra Agency ${tag}`);
  });
});
