import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makePerson, makeSource } from './helpers/factories';

/*
 * Journalist lookups (issue 3): parties by a misspelled name, a source with
 * the quotes anchored in it, the claim graph and its cap, 304s on single
 * resources, and PUBLIC_READ opening every lookup without a key.
 */

let t: TestApp;
let reader: Client;
let editor: Client;

type Ref = { id: string; slug: string; name: string };
let turkiye: Ref;
let fidan: Ref;

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  editor = await t.as('EDITOR');
  turkiye = await makeParty(t, { name: 'Türkiye', aliases: ['Turkey', 'Turkiye'] });
  fidan = await makePerson(t, { name: 'Hakan Fidan' });
  await makePerson(t, { name: 'Hakan Kaya' });
  await makePerson(t, { name: 'Fidel Castro' });
  await makeParty(t, { name: 'Turkmenistan' });
});

afterAll(() => t.close());

describe('party lookup', () => {
  const names = async (q: string) => {
    const res = await reader.get(`/v1/parties?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return res.body.data.map((p: Ref) => p.name) as string[];
  };

  test.each([
    ['Fidan', 'Hakan Fidan'],
    ['Hakan Fiden', 'Hakan Fidan'],
    ['Turky', 'Türkiye'],
    ['turkiye', 'Türkiye'],
    ['TÜRKİYE', 'Türkiye'],
  ])('"%s" finds %s first', async (q, best) => {
    expect((await names(q))[0]).toBe(best);
  });
});

describe('GET /v1/sources/{id}', () => {
  const text = 'Fidan said Israel is regularly violating the ceasefire. Israel said it remains committed. Türkiye çağrı yaptı.';
  let source: { id: string };

  beforeAll(async () => {
    source = await makeSource(t, { text });
    const israel = await makeParty(t, { name: 'Israel' });
    // Recorded out of text order: the source still lists them in text order.
    const later = await makeClaim(t, { party: israel.id, source: source.id, quote: 'it remains committed', stance: 'AFFIRMS' });
    await makeClaim(t, { party: turkiye.id, speaker: fidan.id, source: source.id, quote: 'Israel is regularly violating the ceasefire' });
    await makeClaim(t, { party: turkiye.id, source: source.id, quote: 'Türkiye çağrı yaptı' });
    await addStance(t, later.id, turkiye.id, 'DENIES');
  });

  test('lists every anchored assertion in text order, with code-point offsets that highlight the quotes', async () => {
    const res = await reader.get(`/v1/sources/${source.id}`);
    expect(res.status).toBe(200);
    const anchored = res.body.assertions as Array<{ quote: string; anchor: { start: number; end: number }; claim: { positions: Record<string, unknown[]> } }>;
    expect(anchored.map((a) => a.quote)).toEqual(['Israel is regularly violating the ceasefire', 'it remains committed', 'Türkiye çağrı yaptı']);
    const points = [...res.body.text];
    for (const a of anchored) {
      expect(points.slice(a.anchor.start, a.anchor.end).join('')).toBe(a.quote);
      expect(a.claim.positions).toEqual(expect.objectContaining({ affirms: expect.any(Array), denies: expect.any(Array) }));
    }
  });

  test('answers If-None-Match with 304, and a new ETag once a quote is added', async () => {
    const first = await reader.get(`/v1/sources/${source.id}`);
    const etag = first.headers.etag as string;
    expect(etag).toEqual(expect.any(String));
    expect((await reader.get(`/v1/sources/${source.id}`).set('If-None-Match', etag)).status).toBe(304);
    const party = await makeParty(t);
    await makeClaim(t, { party: party.id, source: source.id, quote: 'Fidan said' });
    const after = await reader.get(`/v1/sources/${source.id}`).set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });
});

describe('GET /v1/claims/{id}/graph', () => {
  test('caps the graph at 100 nodes and says it was truncated', async () => {
    const party = await makeParty(t);
    const source = await makeSource(t);
    const root = await makeClaim(t, { party: party.id, source: source.id, statement: 'The root of a large graph' });
    for (let i = 0; i < 101; i += 1) {
      const other = await makeClaim(t, { party: party.id, source: source.id, statement: `Counter-claim ${i}` });
      const rel = await editor.post(`/v1/claims/${other.id}/relations`).send({ type: 'COUNTERS', targetClaimId: root.id, basis: 'EDITORIAL' });
      expect(rel.status).toBe(201);
    }
    const res = await reader.get(`/v1/claims/${root.id}/graph?depth=1`);
    expect(res.status).toBe(200);
    expect(res.body.nodes).toHaveLength(100);
    expect(res.body.truncated).toBe(true);
    const ids = new Set(res.body.nodes.map((n: { id: string }) => n.id));
    for (const e of res.body.edges) {
      expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
      expect(e.type).toBe('COUNTERS');
    }
    for (const n of res.body.nodes) expect(n.positions.affirms.map((p: Ref) => p.id)).toEqual([party.id]);
  }, 120_000);

  test('a small graph is whole, typed, and answers 304 to its ETag', async () => {
    const a = await makeClaim(t, { party: turkiye.id });
    const b = await makeClaim(t, { party: turkiye.id });
    const c = await makeClaim(t, { party: turkiye.id });
    await editor.post(`/v1/claims/${b.id}/relations`).send({ type: 'COUNTERS', targetClaimId: a.id, basis: 'EDITORIAL' });
    await editor.post(`/v1/claims/${c.id}/relations`).send({ type: 'SUPPORTS', targetClaimId: b.id, basis: 'EDITORIAL' });
    const one = await reader.get(`/v1/claims/${a.id}/graph?depth=1`);
    expect(one.body.nodes.map((n: { id: string }) => n.id)).toEqual([a.id, b.id]);
    expect(one.body.truncated).toBe(false);
    const two = await reader.get(`/v1/claims/${a.id}/graph?depth=2`);
    expect(two.body.edges.map((e: { type: string }) => e.type).sort()).toEqual(['COUNTERS', 'SUPPORTS']);
    expect((await reader.get(`/v1/claims/${a.id}/graph?depth=2`).set('If-None-Match', two.headers.etag as string)).status).toBe(304);
    expect((await reader.get(`/v1/claims/${a.id}/graph?depth=4`)).status).toBe(400);
  });
});

describe('304 and PUBLIC_READ', () => {
  test('the dossier and a party answer If-None-Match with 304', async () => {
    const claim = await makeClaim(t, { party: turkiye.id });
    const dossier = await reader.get(`/v1/claims/${claim.id}`);
    expect((await reader.get(`/v1/claims/${claim.id}`).set('If-None-Match', dossier.headers.etag as string)).status).toBe(304);
    const party = await reader.get(`/v1/parties/${turkiye.slug}`);
    expect((await reader.get(`/v1/parties/${turkiye.slug}`).set('If-None-Match', party.headers.etag as string)).status).toBe(304);
  });

  test('without PUBLIC_READ every lookup needs a key', async () => {
    const claim = await makeClaim(t, { party: turkiye.id });
    for (const path of ['/v1/claims?q=gaza', `/v1/claims/${claim.id}`, `/v1/claims/${claim.id}/graph`, '/v1/parties?q=Fidan', `/v1/parties/${turkiye.slug}/statements`]) {
      expect((await t.anonymous.get(path)).status).toBe(401);
    }
  });

  test('with PUBLIC_READ=true the lookups open without a key; writes do not', async () => {
    const open = await startTestApp({ publicRead: true });
    try {
      const party = await makeParty(open, { name: 'Open Party' });
      const source = await makeSource(open, { text: 'They said the open words today.' });
      const claim = await makeClaim(open, { party: party.id, source: source.id, quote: 'the open words', statement: 'Open statement about lookups' });
      const anon = open.anonymous;
      const search = await anon.get('/v1/claims?q=lookups');
      expect(search.status).toBe(200);
      expect(search.body.data.map((c: { id: string }) => c.id)).toEqual([claim.id]);
      for (const path of [`/v1/claims/${claim.id}`, `/v1/claims/${claim.id}/graph?depth=2`, `/v1/sources/${source.id}`, `/v1/parties?q=Open`, `/v1/parties/${party.slug}/statements`]) {
        expect((await anon.get(path)).status).toBe(200);
      }
      const dossier = await anon.get(`/v1/claims/${claim.id}`);
      expect((await anon.get(`/v1/claims/${claim.id}`).set('If-None-Match', dossier.headers.etag as string)).status).toBe(304);
      expect((await anon.post('/v1/parties', { name: 'Nope', kind: 'STATE' })).status).toBe(401);
      expect((await anon.get('/v1/audit/head')).status).toBe(401);
    } finally {
      await open.close();
    }
  });
});
