import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * The review queue and the draft check read their claims from the hit read
 * model (claim_hit), as search does: they cannot disagree on who says what,
 * a rename shows in all at once, and a hit a bulk load left stale is
 * presented anew.
 */

let t: TestApp;
let reader: Client;
let editor: Client;

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  editor = await t.as('EDITOR');
});
afterAll(() => t.close());

type Ref = { id: string; name: string };
type Positions = Record<'affirms' | 'denies' | 'questions' | 'retracts', Ref[]>;

async function queued(claimId: string): Promise<Positions> {
  const res = await reader.get('/v1/review-queue?limit=100');
  expect(res.status).toBe(200);
  const item = res.body.data.find((i: { claim: { id: string } }) => i.claim.id === claimId);
  expect(item).toBeDefined();
  return item.claim.positions;
}

async function searched(claimId: string, statement: string): Promise<Positions> {
  const res = await reader.get(`/v1/claims?q=${encodeURIComponent(`"${statement}"`)}`);
  const hit = res.body.data.find((h: { id: string }) => h.id === claimId);
  const parties = (ps: { party: Ref }[]) => ps.map((p) => p.party);
  return { affirms: parties(hit.positions.affirms), denies: parties(hit.positions.denies), questions: parties(hit.positions.questions), retracts: parties(hit.positions.retracts) };
}

test('the queue names the parties its search hit names, a renamed one at once', async () => {
  const statement = `Convoys waited nine days at Kerem Shalom ${Date.now()}`;
  const [affirmer, denier] = [await makeParty(t, { name: `Ministry ${Date.now()}` }), await makeParty(t, { name: `Agency ${Date.now()}` })];
  const claim = await makeClaim(t, { party: affirmer.id, statement });
  await addStance(t, claim.id, denier.id, 'DENIES');

  const positions = await queued(claim.id);
  expect(positions.affirms.map((p) => p.id)).toEqual([affirmer.id]);
  expect(positions.denies.map((p) => p.id)).toEqual([denier.id]);
  expect(positions).toEqual(await searched(claim.id, statement));

  const renamed = `Renamed Agency ${Date.now()}`;
  const etag = (await reader.get(`/v1/parties/${denier.id}`)).headers.etag as string;
  expect((await editor.patch(`/v1/parties/${denier.id}`, { name: renamed }, etag)).status).toBe(200);
  expect((await queued(claim.id)).denies.map((p) => p.name)).toEqual([renamed]);
});

test('a hit left stale outside the service is presented anew, not dropped', async () => {
  const statement = `The crossing reopened at dawn ${Date.now()}`;
  const party = await makeParty(t);
  const claim = await makeClaim(t, { party: party.id, statement });
  await t.db.prisma.$executeRawUnsafe(`UPDATE "claim_hit" SET "body" = NULL WHERE "claim_id" = $1::uuid`, claim.id);
  expect((await queued(claim.id)).affirms.map((p) => p.id)).toEqual([party.id]);
});

test('the draft check shows a matched claim as its search hit does, from the same stored hit', async () => {
  const word = `Zarqaville${Date.now().toString(36)}`;
  const statement = `The water plant at ${word} has been shut for eleven days`;
  const [affirmer, denier] = [await makeParty(t, { name: `Utility ${Date.now()}` }), await makeParty(t, { name: `Council ${Date.now()}` })];
  const claim = await makeClaim(t, { party: affirmer.id, statement });
  await addStance(t, claim.id, denier.id, 'DENIES');

  const drafted = async () => {
    // The language is given: detecting it on two short sentences with a made-up place name says German or Dutch now and then.
    const res = await reader.post('/v1/drafts/check', { text: `${statement}. Engineers are on site.`, language: 'en' });
    expect(res.status).toBe(200);
    const finding = res.body.findings.find((f: { claim: { id: string } }) => f.claim.id === claim.id);
    expect(finding).toBeDefined();
    return finding.claim;
  };
  // Each look-up its own URL: the read cache keeps an answer until the ledger changes, and a change made behind the service's back is not one.
  const hitOf = async (limit: number) => (await reader.get(`/v1/claims?q=${encodeURIComponent(word)}&limit=${limit}`)).body.data.find((h: { id: string }) => h.id === claim.id);

  const [found, hit] = [await drafted(), await hitOf(10)];
  expect(found.positions).toEqual(hit.positions);
  expect(found.positions.denies.map((p: { party: Ref }) => p.party.id)).toEqual([denier.id]);
  expect({ contestation: found.contestation, attributedSummary: found.attributedSummary }).toEqual({ contestation: hit.contestation, attributedSummary: hit.attributedSummary });

  // What the stored hit says is what both show, even where presenting the claim afresh would say it otherwise.
  const marker = `Stored summary ${word}`;
  await t.db.prisma.$executeRawUnsafe(`UPDATE "claim_hit" SET "body" = jsonb_set("body"::jsonb, '{attributedSummary}', to_jsonb($2::text))::text WHERE "claim_id" = $1::uuid`, claim.id, marker);
  expect((await hitOf(11)).attributedSummary).toBe(marker);
  expect((await drafted()).attributedSummary).toBe(marker);
});
