import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeParty, makeSource } from './helpers/factories';

/*
 * Counter-claims (SPEC §1.5, §3.3): "claim B COUNTERS claim A", attributed
 * to a party's assertion of B or to the newsroom (EDITORIAL), and the graph
 * of claims around one.
 */

let t: TestApp;
let editor: Client;
let reader: Client;
let admin: Client;

type Ref = { id: string; slug: string; name: string; kind: string };
let turkiye: Ref;
let israel: Ref;
let hamas: Ref;

let uniq = 0;
const next = () => `${Date.now().toString(36)}-${(uniq += 1)}`;

type Claim = { id: string; statement: string; version: number; positions: { affirms: { assertionId: string }[] } };

async function createClaim(party: string, statement = `Statement ${next()}`): Promise<Claim> {
  const quote = `quote ${next()}`;
  const source = await makeSource(t, { text: `Reported: ${quote}.` });
  const res = await editor.post('/v1/claims').send({
    statement,
    assertion: { partyId: party, sourceId: source.id, stance: 'AFFIRMS', quote, quoteKind: 'INDIRECT' },
  });
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${res.text}`);
  return res.body;
}
const firstAssertion = (c: Claim) => c.positions.affirms[0]!.assertionId;

async function dossier(id: string) {
  const res = await reader.get(`/v1/claims/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

function relate(from: string, body: Record<string, unknown>) {
  return editor.post(`/v1/claims/${from}/relations`).send(body);
}

async function auditSeq(): Promise<number> {
  return (await admin.get('/v1/audit/head')).body.seq;
}

const partyRef = (p: Ref) => ({ id: p.id, slug: p.slug, name: p.name, kind: p.kind });

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  admin = await t.as('ADMIN');
  turkiye = await makeParty(t, { name: 'Türkiye', slug: 'turkiye', kind: 'STATE' });
  israel = await makeParty(t, { name: 'Israel', slug: 'israel', kind: 'STATE' });
  hamas = await makeParty(t, { name: 'Hamas', slug: 'hamas', kind: 'ARMED_GROUP' });
});
afterAll(() => t.close());

describe('POST /v1/claims/{B}/relations', () => {
  test('a PARTY counter-claim makes A contested and shows as incoming in A and outgoing in B, attributed to the party', async () => {
    const a = await createClaim(turkiye.id, 'Israel is regularly violating the Gaza ceasefire');
    const b = await createClaim(israel.id, 'Hamas has not returned the remaining hostage bodies');
    expect((await dossier(a.id)).contestation).toBe('uncontested');

    const seq = await auditSeq();
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b), note: 'Israel’s answer at the same briefing' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'COUNTERS',
      sourceClaimId: b.id,
      targetClaimId: a.id,
      basis: 'PARTY',
      assertionId: firstAssertion(b),
      by: partyRef(israel),
      note: 'Israel’s answer at the same briefing',
    });
    expect(await auditSeq()).toBe(seq + 3); // the relation, and the new state of both claims

    const da = await dossier(a.id);
    expect(da.contestation).toBe('contested');
    expect(da.version).toBe(a.version + 1);
    expect(da.counterClaims).toHaveLength(1);
    expect(da.counterClaims[0]).toMatchObject({
      relation: 'COUNTERS',
      direction: 'incoming',
      basis: 'PARTY',
      by: partyRef(israel),
      claim: {
        id: b.id,
        statement: 'Hamas has not returned the remaining hostage bodies',
        contestation: 'uncontested',
        positions: { affirms: [partyRef(israel)], denies: [], questions: [], retracts: [] },
      },
    });
    expect(da.supportingClaims).toEqual([]);
    expect(da.attributedSummary).toBe('Türkiye says Israel is regularly violating the Gaza ceasefire; Israel disputes this.');

    const db = await dossier(b.id);
    expect(db.contestation).toBe('uncontested'); // countering another claim does not contest one's own
    expect(db.counterClaims).toHaveLength(1);
    expect(db.counterClaims[0]).toMatchObject({
      relation: 'COUNTERS',
      direction: 'outgoing',
      basis: 'PARTY',
      by: partyRef(israel),
      claim: { id: a.id, statement: 'Israel is regularly violating the Gaza ceasefire', contestation: 'contested', positions: { affirms: [partyRef(turkiye)] } },
    });
  });

  test('CONTRADICTS with basis PARTY also counts as a counter-claim', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    expect((await relate(b.id, { type: 'CONTRADICTS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).status).toBe(201);
    const da = await dossier(a.id);
    expect(da.contestation).toBe('contested');
    expect(da.counterClaims.map((c: { relation: string; direction: string }) => [c.relation, c.direction])).toEqual([['CONTRADICTS', 'incoming']]);
  });

  test('an EDITORIAL counter-claim has by null and does not make A contested', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(hamas.id);
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'EDITORIAL', note: 'newsroom link' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ basis: 'EDITORIAL', assertionId: null, by: null });

    const da = await dossier(a.id);
    expect(da.contestation).toBe('uncontested');
    expect(da.counterClaims).toHaveLength(1);
    expect(da.counterClaims[0]).toMatchObject({ direction: 'incoming', basis: 'EDITORIAL', by: null, claim: { id: b.id } });
    expect(da.attributedSummary).not.toMatch(/disputes/);
  });

  test('answers 400 for a PARTY relation without assertionId', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, type: '/problems/invalid-input' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertionId' })]);
    expect((await dossier(a.id)).counterClaims).toEqual([]);
  });

  test('answers 400 for an EDITORIAL relation with an assertionId', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'EDITORIAL', assertionId: firstAssertion(b) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertionId' })]);
  });

  test('answers 400 for an unknown type or an unknown field', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    expect((await relate(b.id, { type: 'REFUTES', targetClaimId: a.id, basis: 'EDITORIAL' })).status).toBe(400);
    expect((await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'EDITORIAL', weight: 3 })).status).toBe(400);
  });

  test('answers 422 when assertionId belongs to another claim', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    const seq = await auditSeq();
    // A's own assertion cannot be the basis of B's relation.
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(a) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/bad-basis' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertionId' })]);
    expect(await auditSeq()).toBe(seq);
    expect((await dossier(a.id)).contestation).toBe('uncontested');
  });

  test('answers 422 when assertionId names a withdrawn assertion', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    const extra = await addStance(t, b.id, hamas.id, 'AFFIRMS');
    expect((await editor.post(`/v1/assertions/${extra.assertionId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
    const res = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: extra.assertionId });
    expect(res.status).toBe(422);
  });

  test('answers 422 for a relation of a claim to itself', async () => {
    const a = await createClaim(turkiye.id);
    const res = await relate(a.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(a) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/self-relation' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'targetClaimId' })]);
  });

  test('answers 422 for an unknown target claim and 404 for an unknown source claim', async () => {
    const a = await createClaim(turkiye.id);
    const unknownTarget = await relate(a.id, { type: 'SUPPORTS', targetClaimId: '00000000-0000-7000-8000-000000000000', basis: 'EDITORIAL' });
    expect(unknownTarget.status).toBe(422);
    expect(unknownTarget.body.errors).toEqual([expect.objectContaining({ path: 'targetClaimId' })]);
    const unknownSource = await relate('00000000-0000-7000-8000-000000000000', { type: 'SUPPORTS', targetClaimId: a.id, basis: 'EDITORIAL' });
    expect(unknownSource.status).toBe(404);
  });

  test('answers 409 for a duplicate relation and writes nothing', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    expect((await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).status).toBe(201);
    const seq = await auditSeq();
    const dup = await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'EDITORIAL' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: 409, type: '/problems/relation-exists' });
    expect(await auditSeq()).toBe(seq);
    expect((await dossier(a.id)).counterClaims).toHaveLength(1);
  });

  test('SUPPORTS and QUALIFIES appear under supportingClaims in both dossiers and do not contest', async () => {
    const a = await createClaim(turkiye.id);
    const s = await createClaim(hamas.id);
    const q = await createClaim(israel.id);
    expect((await relate(s.id, { type: 'SUPPORTS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(s) })).status).toBe(201);
    expect((await relate(q.id, { type: 'QUALIFIES', targetClaimId: a.id, basis: 'EDITORIAL' })).status).toBe(201);

    const da = await dossier(a.id);
    expect(da.contestation).toBe('uncontested');
    expect(da.counterClaims).toEqual([]);
    const supporting = da.supportingClaims.map((l: { relation: string; direction: string; claim: { id: string }; by: unknown }) => ({
      relation: l.relation,
      direction: l.direction,
      id: l.claim.id,
      by: l.by,
    }));
    expect(supporting).toEqual(
      expect.arrayContaining([
        { relation: 'SUPPORTS', direction: 'incoming', id: s.id, by: partyRef(hamas) },
        { relation: 'QUALIFIES', direction: 'incoming', id: q.id, by: null },
      ]),
    );
    expect(supporting).toHaveLength(2);
    expect(da.supportingClaims[0].claim.positions).toEqual(expect.objectContaining({ affirms: expect.any(Array), denies: [] }));

    const ds = await dossier(s.id);
    expect(ds.supportingClaims).toEqual([expect.objectContaining({ relation: 'SUPPORTS', direction: 'outgoing', claim: expect.objectContaining({ id: a.id }) })]);
    expect(ds.counterClaims).toEqual([]);
  });

  test('withdrawing the basis assertion removes the counter-claim from A and A is no longer contested', async () => {
    const a = await createClaim(turkiye.id);
    const b = await createClaim(israel.id);
    await addStance(t, b.id, hamas.id, 'AFFIRMS'); // so Israel's assertion is not B's last one
    expect((await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).status).toBe(201);
    const contested = await dossier(a.id);
    expect(contested.contestation).toBe('contested');

    const w = await editor.post(`/v1/assertions/${firstAssertion(b)}/withdraw`).send({ reason: 'Israel did not say this' });
    expect(w.status).toBe(200);

    const da = await dossier(a.id);
    expect(da.counterClaims).toEqual([]);
    expect(da.contestation).toBe('uncontested');
    expect(da.version).toBeGreaterThan(contested.version); // A's dossier changed: its ETag must change
    expect(da.attributedSummary).not.toMatch(/Israel/);
    expect((await dossier(b.id)).counterClaims).toEqual([]);

    // It is gone from the graph too.
    const graph = await reader.get(`/v1/claims/${a.id}/graph?depth=1`);
    expect(graph.body.nodes.map((n: { id: string }) => n.id)).toEqual([a.id]);
    expect(graph.body.edges).toEqual([]);
  });

  test('merging a countered claim carries its counter-claim to the survivor, which becomes contested', async () => {
    const a = await createClaim(turkiye.id, 'The duplicate wording');
    const survivor = await createClaim(hamas.id, 'The surviving wording');
    const b = await createClaim(israel.id);
    expect((await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).status).toBe(201);
    expect((await dossier(survivor.id)).contestation).toBe('uncontested');

    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: survivor.id })).status).toBe(200);
    const d = await dossier(survivor.id);
    expect(d.contestation).toBe('contested');
    expect(d.counterClaims).toEqual([expect.objectContaining({ direction: 'incoming', by: partyRef(israel), claim: expect.objectContaining({ id: b.id }) })]);
    const db = await dossier(b.id);
    expect(db.counterClaims).toEqual([expect.objectContaining({ direction: 'outgoing', claim: expect.objectContaining({ id: survivor.id }) })]);
  });

  test('a claim denied by one party and countered by another stays contested after the counter is withdrawn', async () => {
    const a = await createClaim(turkiye.id);
    await addStance(t, a.id, hamas.id, 'DENIES');
    const b = await createClaim(israel.id);
    await addStance(t, b.id, hamas.id, 'AFFIRMS');
    await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) });
    await editor.post(`/v1/assertions/${firstAssertion(b)}/withdraw`).send({ reason: 'wrong' });
    expect((await dossier(a.id)).contestation).toBe('contested');
  });
});

describe('GET /v1/claims/{id}/graph', () => {
  let a: Claim;
  let b: Claim;
  let c: Claim;
  let d: Claim;
  let loner: Claim;
  let edgeBA: string;
  let edgeCB: string;
  let edgeDC: string;

  beforeAll(async () => {
    // The chain A ← B ← C ← D.
    a = await createClaim(turkiye.id, 'Graph A');
    b = await createClaim(israel.id, 'Graph B');
    c = await createClaim(hamas.id, 'Graph C');
    d = await createClaim(turkiye.id, 'Graph D');
    loner = await createClaim(israel.id, 'Graph unrelated');
    edgeBA = (await relate(b.id, { type: 'COUNTERS', targetClaimId: a.id, basis: 'PARTY', assertionId: firstAssertion(b) })).body.id;
    edgeCB = (await relate(c.id, { type: 'SUPPORTS', targetClaimId: b.id, basis: 'EDITORIAL' })).body.id;
    edgeDC = (await relate(d.id, { type: 'CONTRADICTS', targetClaimId: c.id, basis: 'PARTY', assertionId: firstAssertion(d) })).body.id;
  });

  async function graph(id: string, depth?: number) {
    const res = await reader.get(`/v1/claims/${id}/graph${depth === undefined ? '' : `?depth=${depth}`}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  const nodeIds = (g: { nodes: { id: string }[] }) => g.nodes.map((n) => n.id).sort();
  const edgeIds = (g: { edges: { id: string }[] }) => g.edges.map((e) => e.id).sort();

  test('depth=1 reaches only the direct neighbours', async () => {
    const g = await graph(a.id, 1);
    expect(g.rootId).toBe(a.id);
    expect(nodeIds(g)).toEqual([a.id, b.id].sort());
    expect(edgeIds(g)).toEqual([edgeBA]);
    expect(g.edges[0]).toMatchObject({ from: b.id, to: a.id, type: 'COUNTERS', basis: 'PARTY', party: partyRef(israel) });
  });

  test('depth=2 and depth=3 reach exactly the claims within that many hops', async () => {
    const g2 = await graph(a.id, 2);
    expect(nodeIds(g2)).toEqual([a.id, b.id, c.id].sort());
    expect(edgeIds(g2)).toEqual([edgeBA, edgeCB].sort());

    const g3 = await graph(a.id, 3);
    expect(nodeIds(g3)).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(edgeIds(g3)).toEqual([edgeBA, edgeCB, edgeDC].sort());
    expect(nodeIds(g3)).not.toContain(loner.id);
    const depthOf = Object.fromEntries(g3.nodes.map((n: { id: string; depth: number }) => [n.id, n.depth]));
    expect(depthOf).toEqual({ [a.id]: 0, [b.id]: 1, [c.id]: 2, [d.id]: 3 });
  });

  test('edges carry their type, basis and party; nodes their statement, contestation and positions', async () => {
    const g = await graph(a.id, 3);
    const edge = (id: string) => g.edges.find((e: { id: string }) => e.id === id);
    expect(edge(edgeCB)).toMatchObject({ from: c.id, to: b.id, type: 'SUPPORTS', basis: 'EDITORIAL', party: null });
    expect(edge(edgeDC)).toMatchObject({ from: d.id, to: c.id, type: 'CONTRADICTS', basis: 'PARTY', party: partyRef(turkiye) });
    const node = (id: string) => g.nodes.find((n: { id: string }) => n.id === id);
    expect(node(a.id)).toMatchObject({ statement: 'Graph A', contestation: 'contested', positions: { affirms: [partyRef(turkiye)], denies: [] } });
    expect(node(c.id)).toMatchObject({ statement: 'Graph C', contestation: 'contested', positions: { affirms: [partyRef(hamas)] } });
    expect(node(b.id)).toMatchObject({ contestation: 'uncontested', positions: { affirms: [partyRef(israel)] } }); // SUPPORTS does not contest
    for (const n of g.nodes) {
      expect(n.positions).toEqual(expect.objectContaining({ affirms: expect.any(Array), denies: expect.any(Array), questions: expect.any(Array), retracts: expect.any(Array) }));
    }
  });

  test('the graph is walked in both directions: from D, depth 3 reaches A', async () => {
    expect(nodeIds(await graph(d.id, 3))).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(nodeIds(await graph(d.id, 1))).toEqual([c.id, d.id].sort());
    expect(nodeIds(await graph(b.id, 1))).toEqual([a.id, b.id, c.id].sort());
  });

  test('includes the edges between claims at the outer depth (a triangle at depth 1 keeps all three edges)', async () => {
    const root = await createClaim(turkiye.id, 'Triangle root');
    const left = await createClaim(israel.id, 'Triangle left');
    const right = await createClaim(hamas.id, 'Triangle right');
    const e1 = (await relate(left.id, { type: 'COUNTERS', targetClaimId: root.id, basis: 'EDITORIAL' })).body.id;
    const e2 = (await relate(right.id, { type: 'SUPPORTS', targetClaimId: root.id, basis: 'EDITORIAL' })).body.id;
    const e3 = (await relate(right.id, { type: 'COUNTERS', targetClaimId: left.id, basis: 'EDITORIAL' })).body.id;
    const g = await graph(root.id, 1);
    expect(nodeIds(g)).toEqual([root.id, left.id, right.id].sort());
    expect(edgeIds(g)).toEqual([e1, e2, e3].sort());
  });

  test('depth defaults to 1', async () => {
    const g = await graph(a.id);
    expect(g.depth).toBe(1);
    expect(nodeIds(g)).toEqual([a.id, b.id].sort());
  });

  test('answers 400 for depth=0 and depth=4', async () => {
    for (const depth of ['0', '4', 'two']) {
      const res = await reader.get(`/v1/claims/${a.id}/graph?depth=${depth}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, type: '/problems/invalid-input' });
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'depth' })]);
    }
  });

  test('answers 404 for an unknown claim', async () => {
    expect((await reader.get('/v1/claims/00000000-0000-7000-8000-000000000000/graph')).status).toBe(404);
  });
});
