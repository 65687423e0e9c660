import { partyStatementPageOut } from '../src/modules/parties/responses';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makePerson } from './helpers/factories';

/*
 * GET /v1/parties/{id}/statements (SPEC §3.2, issue 3): what a party — or a
 * person speaking for it — has affirmed, denied, questioned or retracted,
 * newest first, with quote, source, date and the claim's positions.
 */

let t: TestApp;
let editor: Client;
let reader: Client;

type Ref = { id: string; slug: string; name: string };
let state: Ref;
let other: Ref;
let minister: Ref;
let lateMember: Ref;
let affirmed: { id: string };
let denied: { id: string };
let spoken: { id: string };
let early: { id: string };
let withdrawnId: string;

type Item = {
  assertionId: string;
  stance: string;
  via: string;
  quote: string;
  source: { id: string; title: string };
  assertedAt: string | null;
  party: Ref;
  speaker: Ref | null;
  claim: { id: string; statement: string; contestation: string; positions: Record<string, Ref[]> };
};

async function statements(ref: string, query = '') {
  const res = await reader.get(`/v1/parties/${ref}/statements${query ? `?${query}` : ''}`);
  expect(res.status).toBe(200);
  partyStatementPageOut.parse(res.body); // the documented shape (OpenAPI)
  return res.body as { data: Item[]; nextCursor: string | null };
}
const claimIds = async (query = '') => (await statements(state.slug, query)).data.map((s) => s.claim.id);

async function affiliate(person: Ref, party: Ref, extra: Record<string, string> = {}) {
  const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Foreign Minister', ...extra });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  state = await makeParty(t, { name: 'Statement State' });
  other = await makeParty(t, { name: 'Other State' });
  const meeting = await makeParty(t, { name: 'Ministers Meeting', kind: 'COALITION' });
  minister = await makePerson(t, { name: 'Minister Speaking' });
  lateMember = await makePerson(t, { name: 'Late Member' });
  await affiliate(minister, state);
  await affiliate(lateMember, state, { from: '2025-06-01' });

  affirmed = await makeClaim(t, { statement: 'The crossing was opened', party: state.id, quote: 'we opened the crossing', assertedAt: '2025-01-10', topics: ['humanitarian-aid'] });
  await addStance(t, affirmed.id, other.id, 'DENIES', { assertedAt: '2025-01-11' });
  denied = await makeClaim(t, { statement: 'Aid was blocked', party: other.id, assertedAt: '2025-02-01' });
  await addStance(t, denied.id, state.id, 'DENIES', { assertedAt: '2025-03-01' });
  // The minister speaks for a coalition; the statement still counts for the state he serves.
  spoken = await makeClaim(t, { statement: 'The plan must be implemented', party: meeting.id, speaker: minister.id, assertedAt: '2025-04-01' });
  // Said before the late member joined: not on the state's behalf.
  early = await makeClaim(t, { statement: 'Said before joining', party: meeting.id, speaker: lateMember.id, assertedAt: '2025-05-01' });
  const withdrawn = await makeClaim(t, { statement: 'A misattributed remark', party: other.id, assertedAt: '2025-05-05' });
  withdrawnId = (await addStance(t, withdrawn.id, state.id, 'QUESTIONS', { assertedAt: '2025-05-06' })).assertionId;
  expect((await editor.post(`/v1/assertions/${withdrawnId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
});

afterAll(() => t.close());

test('lists what the party and the people speaking for it said, newest first', async () => {
  const res = await statements(state.slug);
  expect(res.data.map((s) => [s.claim.id, s.stance, s.via])).toEqual([
    [spoken.id, 'AFFIRMS', 'affiliation'],
    [denied.id, 'DENIES', 'party'],
    [affirmed.id, 'AFFIRMS', 'party'],
  ]);
  expect(res.nextCursor).toBeNull();
  expect(res.data.map((s) => s.assertionId)).not.toContain(withdrawnId);
  expect(res.data.map((s) => s.claim.id)).not.toContain(early.id);
});

test('each statement carries quote, source, date and the claim with its positions (invariant 3)', async () => {
  const item = (await statements(state.id)).data.find((s) => s.claim.id === affirmed.id)!;
  expect(item.quote).toEqual(expect.any(String));
  expect(item.source).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String) }));
  expect(item.assertedAt).toBe('2025-01-10');
  expect(item.party.id).toBe(state.id);
  expect(item.claim.statement).toBe('The crossing was opened');
  expect(item.claim.contestation).toBe('contested');
  expect(item.claim.positions.affirms!.map((p) => p.id)).toEqual([state.id]);
  expect(item.claim.positions.denies!.map((p) => p.id)).toEqual([other.id]);
});

test('a person sees what they said as speaker', async () => {
  const res = await statements(minister.slug);
  expect(res.data.map((s) => [s.claim.id, s.via])).toEqual([[spoken.id, 'speaker']]);
  expect(res.data[0]!.speaker!.id).toBe(minister.id);
});

test('filters by stance, topic and when it was said', async () => {
  expect(await claimIds('stance=DENIES')).toEqual([denied.id]);
  expect(await claimIds('stance=RETRACTS')).toEqual([]);
  expect(await claimIds('topic=humanitarian-aid')).toEqual([affirmed.id]);
  expect(await claimIds('from=2025-02-01&to=2025-03-01')).toEqual([denied.id]);
  expect(await claimIds('from=2025-03-02')).toEqual([spoken.id]);
  expect(await claimIds('stance=AFFIRMS&to=2025-03-31')).toEqual([affirmed.id]);
});

test('pages with a cursor, stable while statements are added', async () => {
  const first = await statements(state.slug, 'limit=2');
  expect(first.data.map((s) => s.claim.id)).toEqual([spoken.id, denied.id]);
  // Something newer arrives: the next page still continues where the first stopped.
  const newer = await makeClaim(t, { statement: 'A newer statement', party: state.id, assertedAt: '2025-12-01' });
  const second = await statements(state.slug, `limit=2&cursor=${first.nextCursor}`);
  expect(second.data.map((s) => s.claim.id)).toEqual([affirmed.id]);
  expect(second.nextCursor).toBeNull();
  expect((await claimIds('limit=1'))[0]).toBe(newer.id);
});

test('one statement at a time, the pages add up to the whole list (members included, however far back the party goes)', async () => {
  const all = await claimIds();
  const walked: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: Item[]; nextCursor: string | null } = await statements(state.slug, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    walked.push(...page.data.map((s) => s.claim.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(walked).toEqual(all);
  expect(walked).toContain(spoken.id);
});

test('answers 404 for an unknown party and 400 for a bad filter', async () => {
  expect((await reader.get('/v1/parties/no-such-party/statements')).status).toBe(404);
  expect((await reader.get(`/v1/parties/${state.slug}/statements?stance=SHOUTS`)).status).toBe(400);
  expect((await reader.get(`/v1/parties/${state.slug}/statements?colour=red`)).status).toBe(400);
  expect((await reader.get(`/v1/parties/${state.slug}/statements?cursor=garbage`)).status).toBe(400);
});

test('needs a key unless PUBLIC_READ is on', async () => {
  expect((await t.anonymous.get(`/v1/parties/${state.slug}/statements`)).status).toBe(401);
});
