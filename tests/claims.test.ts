import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeParty, makePerson, makeSource } from './helpers/factories';

/*
 * Claims over HTTP (SPEC §1.3, §1.4, §3.1, §3.3): creation with the first
 * assertion, stances and contestation, positions, the attributed summary,
 * search and pagination, PATCH with If-Match, withdrawal, merge, and one
 * audit event per write.
 */

let t: TestApp;
let editor: Client;
let reader: Client;
let admin: Client;

type Ref = { id: string; slug: string; name: string; kind: string };
let turkiye: Ref;
let israel: Ref;
let pakistan: Ref;
let fidan: Ref;
let reuters: Ref;
let article: { id: string; title: string; url: string; text: string };

const STATEMENT = 'Israel is regularly violating the Gaza ceasefire';
const ARTICLE_TEXT =
  'ISTANBUL, Nov 3 (Reuters) - Turkish Foreign Minister Hakan Fidan said on Monday that Israel is regularly violating the ceasefire in Gaza. ' +
  'Israel said it is committed to the plan.';
const FIDAN_QUOTE = 'Israel is regularly violating the ceasefire in Gaza';

let uniq = 0;
const next = () => `${Date.now().toString(36)}-${(uniq += 1)}`;

async function auditHead(): Promise<{ seq: number; hash: string | null }> {
  const res = await admin.get('/v1/audit/head');
  expect(res.status).toBe(200);
  return res.body;
}

async function eventsSince(seq: number) {
  return t.db.sql.query<{ action: string; entity_type: string; entity_id: string }>(
    'SELECT action, entity_type, entity_id FROM audit_event WHERE seq > $1 ORDER BY seq',
    [seq],
  );
}

async function claimCount(): Promise<number> {
  const rows = await t.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM claim');
  return rows[0]!.n;
}

/** A source of its own whose text holds `quote` exactly once. */
async function sourceFor(quote: string) {
  return makeSource(t, { text: `Reported: ${quote}. End of report.` });
}

type ClaimBody = {
  statement?: string;
  topics?: string[];
  subjects?: string[];
  party: string;
  speaker?: string;
  stance?: string;
  quote?: string;
  source?: string;
  assertedAt?: string;
};

async function createClaim(o: ClaimBody) {
  const quote = o.quote ?? `quote ${next()}`;
  const source = o.source ?? (await sourceFor(quote)).id;
  const res = await editor.post('/v1/claims').send({
    statement: o.statement ?? `Statement ${next()}`,
    topics: o.topics ?? [],
    subjects: o.subjects ?? [],
    assertion: {
      partyId: o.party,
      ...(o.speaker && { speakerId: o.speaker }),
      sourceId: source,
      stance: o.stance ?? 'AFFIRMS',
      quote,
      quoteKind: 'INDIRECT',
      ...(o.assertedAt && { assertedAt: o.assertedAt }),
    },
  });
  if (res.status !== 201) throw new Error(`claim: ${res.status} ${res.text}`);
  return res.body;
}

async function dossier(id: string) {
  const res = await reader.get(`/v1/claims/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const partyIds = (ps: { party: { id: string } }[]) => ps.map((p) => p.party.id).sort();

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  admin = await t.as('ADMIN');
  turkiye = await makeParty(t, { name: 'Türkiye', slug: 'turkiye', kind: 'STATE', aliases: ['Turkey', 'Turkiye'] });
  israel = await makeParty(t, { name: 'Israel', slug: 'israel', kind: 'STATE' });
  pakistan = await makeParty(t, { name: 'Pakistan', slug: 'pakistan', kind: 'STATE' });
  fidan = await makePerson(t, { name: 'Hakan Fidan', slug: 'hakan-fidan' });
  reuters = await makeParty(t, { name: 'Reuters', slug: 'reuters', kind: 'MEDIA' });
  const src = await makeSource(t, {
    title: 'Turkey says Israel violating Gaza ceasefire',
    url: 'https://example.org/reuters/istanbul-gaza-meeting',
    publisherId: reuters.id,
    text: ARTICLE_TEXT,
  });
  article = { id: src.id, title: 'Turkey says Israel violating Gaza ceasefire', url: 'https://example.org/reuters/istanbul-gaza-meeting', text: ARTICLE_TEXT };
});
afterAll(() => t.close());

describe('POST /v1/claims', () => {
  test('creates the claim with its first assertion and answers 201 with Location, ETag and the full dossier', async () => {
    const before = await auditHead();
    const res = await editor.post('/v1/claims').send({
      statement: STATEMENT,
      topics: ['ceasefire-violations'],
      subjects: [israel.id],
      assertion: {
        partyId: turkiye.id,
        speakerId: fidan.id,
        sourceId: article.id,
        stance: 'AFFIRMS',
        quote: FIDAN_QUOTE,
        quoteKind: 'DIRECT',
        assertedAt: '2025-11-03',
        occasion: 'press conference in Istanbul',
      },
    });
    expect(res.status).toBe(201);
    const body = res.body;
    expect(res.headers.location).toBe(`/v1/claims/${body.id}`);
    expect(body.version).toBe(1);
    expect(res.headers.etag).toMatch(/^"c[\w-]{22}"$/);

    expect(body).toMatchObject({
      statement: STATEMENT,
      topics: ['ceasefire-violations'],
      subjects: [{ id: israel.id, slug: 'israel', name: 'Israel', kind: 'STATE' }],
      contestation: 'uncontested',
      counterClaims: [],
      supportingClaims: [],
      reviews: [],
    });
    expect(body.positions.denies).toEqual([]);
    expect(body.positions.questions).toEqual([]);
    expect(body.positions.retracts).toEqual([]);
    expect(body.positions.affirms).toHaveLength(1);

    const start = ARTICLE_TEXT.indexOf(FIDAN_QUOTE); // ASCII text: code points = UTF-16 units
    const position = body.positions.affirms[0];
    expect(position).toMatchObject({
      stance: 'AFFIRMS',
      party: { id: turkiye.id, slug: 'turkiye', name: 'Türkiye', kind: 'STATE' },
      speaker: { id: fidan.id, slug: 'hakan-fidan', name: 'Hakan Fidan', kind: 'PERSON' },
      quote: FIDAN_QUOTE,
      quoteKind: 'DIRECT',
      anchor: { exact: FIDAN_QUOTE, start, end: start + FIDAN_QUOTE.length },
      source: {
        id: article.id,
        title: article.title,
        publisher: { id: reuters.id, name: 'Reuters' },
        url: article.url,
      },
      assertedAt: '2025-11-03',
    });
    expect(typeof position.assertionId).toBe('string');
    expect(ARTICLE_TEXT.slice(0, start).endsWith(position.anchor.prefix)).toBe(true);
    expect(ARTICLE_TEXT.slice(start + FIDAN_QUOTE.length).startsWith(position.anchor.suffix)).toBe(true);
    expect(body.attributedSummary).toBe(`Türkiye (Hakan Fidan) says ${STATEMENT}.`);

    // The claim and its assertion were recorded together: an event for each, holding its row (SPEC §1.8).
    const events = await eventsSince(before.seq);
    expect(events).toEqual([
      { action: 'claim.create', entity_type: 'claim', entity_id: body.id },
      ...body.subjects.map((s: { id: string }) => ({ action: 'claim_subject.create', entity_type: 'claim_subject', entity_id: `${body.id}/${s.id}` })),
      { action: 'assertion.create', entity_type: 'assertion', entity_id: position.assertionId },
    ]);

    const got = await reader.get(`/v1/claims/${body.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe(res.headers.etag);
    expect(got.body.positions).toEqual(body.positions);
    expect(got.body.statement).toBe(STATEMENT);
  });

  test('keeps the full instant of an assertedAt given with a time', async () => {
    const claim = await createClaim({ party: turkiye.id, assertedAt: '2025-11-03T10:15:00+03:00' });
    expect(claim.positions.affirms[0].assertedAt).toBe('2025-11-03T07:15:00.000Z');
  });

  test('answers 422 with errors[].path assertion.partyId for an unknown party and writes nothing', async () => {
    const [count, head] = [await claimCount(), await auditHead()];
    const res = await editor.post('/v1/claims').send({
      statement: `Orphan ${next()}`,
      assertion: { partyId: '00000000-0000-4000-8000-000000000000', sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/unknown-party' });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('assertion.partyId');
    expect(await claimCount()).toBe(count);
    expect(await auditHead()).toEqual(head);
  });

  test('answers 422 for an unknown party slug too', async () => {
    const res = await editor.post('/v1/claims').send({
      statement: `Orphan ${next()}`,
      assertion: { partyId: 'no-such-party', sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertion.partyId' })]);
  });

  test('answers 422 with errors[].path assertion.sourceId for an unknown source and writes nothing', async () => {
    const [count, head] = [await claimCount(), await auditHead()];
    const res = await editor.post('/v1/claims').send({
      statement: `Orphan ${next()}`,
      assertion: { partyId: turkiye.id, sourceId: '00000000-0000-4000-8000-000000000001', stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/unknown-source' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertion.sourceId' })]);
    expect(await claimCount()).toBe(count);
    expect(await auditHead()).toEqual(head);
  });

  test('answers 422 when the speaker is not a PERSON and writes nothing', async () => {
    const [count, head] = [await claimCount(), await auditHead()];
    const res = await editor.post('/v1/claims').send({
      statement: `Wrong speaker ${next()}`,
      assertion: { partyId: turkiye.id, speakerId: israel.id, sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/speaker-not-person' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assertion.speakerId' })]);
    expect(await claimCount()).toBe(count);
    expect(await auditHead()).toEqual(head);
  });

  test('answers 422 for an unknown subject and writes nothing', async () => {
    const count = await claimCount();
    const res = await editor.post('/v1/claims').send({
      statement: `Unknown subject ${next()}`,
      subjects: ['nobody-at-all'],
      assertion: { partyId: turkiye.id, sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'subjects.0' })]);
    expect(await claimCount()).toBe(count);
  });

  test('answers 400 without the first assertion, and for unknown fields', async () => {
    const count = await claimCount();
    const missing = await editor.post('/v1/claims').send({ statement: 'A claim nobody made' });
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe('/problems/invalid-input');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('assertion');

    const unknown = await editor.post('/v1/claims').send({
      statement: 'x',
      contestation: 'uncontested',
      assertion: { partyId: turkiye.id, sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' },
    });
    expect(unknown.status).toBe(400);
    expect(await claimCount()).toBe(count);
  });

  test('refuses a READER (403) and a caller without a key (401)', async () => {
    const body = { statement: 'x', assertion: { partyId: turkiye.id, sourceId: article.id, stance: 'AFFIRMS', quote: FIDAN_QUOTE, quoteKind: 'DIRECT' } };
    expect((await reader.post('/v1/claims').send(body)).status).toBe(403);
    expect((await t.anonymous.post('/v1/claims').send(body)).status).toBe(401);
  });
});

describe('stances and contestation', () => {
  test('a claim only affirmed is uncontested; a denial makes it contested and bumps its version', async () => {
    const claim = await createClaim({ party: turkiye.id });
    expect(claim.contestation).toBe('uncontested');

    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    const res = await reader.get(`/v1/claims/${claim.id}`);
    expect(res.body.contestation).toBe('contested');
    expect(res.body.version).toBe(2);
    expect(res.headers.etag).toMatch(/^"c[\w-]{22}"$/);
    expect(partyIds(res.body.positions.affirms)).toEqual([turkiye.id]);
    expect(partyIds(res.body.positions.denies)).toEqual([israel.id]);
    expect(res.body.positions.denies[0].assertionId).toBe(denial.assertionId);
  });

  test('POST /v1/claims/{id}/assertions answers 201 with the assertion', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const quote = `stance ${next()}`;
    const source = await sourceFor(quote);
    const res = await editor
      .post(`/v1/claims/${claim.id}/assertions`)
      .send({ partyId: 'pakistan', sourceId: source.id, stance: 'QUESTIONS', quote, quoteKind: 'INDIRECT', assertedAt: '2025-11-04' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      claimId: claim.id,
      stance: 'QUESTIONS',
      party: { id: pakistan.id },
      quote,
      assertedAt: '2025-11-04',
      withdrawn: null,
    });
  });

  test('a question against an affirmation makes the claim contested', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, pakistan.id, 'QUESTIONS');
    const d = await dossier(claim.id);
    expect(d.contestation).toBe('contested');
    expect(partyIds(d.positions.questions)).toEqual([pakistan.id]);
  });

  test('a claim becomes retracted once every affirming party has retracted', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, pakistan.id, 'AFFIRMS');
    await addStance(t, claim.id, turkiye.id, 'RETRACTS');
    let d = await dossier(claim.id);
    expect(d.contestation).toBe('uncontested'); // Pakistan still affirms
    expect(partyIds(d.positions.affirms)).toEqual([pakistan.id]);

    await addStance(t, claim.id, pakistan.id, 'RETRACTS');
    d = await dossier(claim.id);
    expect(d.contestation).toBe('retracted');
    expect(d.positions.affirms).toEqual([]);
    expect(partyIds(d.positions.retracts)).toEqual([pakistan.id, turkiye.id].sort());
  });

  test('a claim whose affirmers retracted while another party denies it is retracted', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, israel.id, 'DENIES');
    expect((await dossier(claim.id)).contestation).toBe('contested');
    await addStance(t, claim.id, turkiye.id, 'RETRACTS');
    expect((await dossier(claim.id)).contestation).toBe('retracted');
  });

  test("a party's position is its latest active assertion: an earlier AFFIRMS then a later DENIES shows only under denies", async () => {
    const claim = await createClaim({ party: turkiye.id, assertedAt: '2025-11-01' });
    await addStance(t, claim.id, israel.id, 'AFFIRMS', { assertedAt: '2025-11-02' });
    const denial = await addStance(t, claim.id, israel.id, 'DENIES', { assertedAt: '2025-11-03' });
    const d = await dossier(claim.id);
    expect(partyIds(d.positions.affirms)).toEqual([turkiye.id]);
    expect(partyIds(d.positions.denies)).toEqual([israel.id]);
    expect(d.positions.denies.map((p: { assertionId: string }) => p.assertionId)).toEqual([denial.assertionId]);
    expect(d.contestation).toBe('contested');
    // Both of Israel's assertions stay in the history.
    expect(d.history.filter((h: { party: { id: string } }) => h.party.id === israel.id)).toHaveLength(2);
  });

  test('a later assertion recorded without dates replaces the same party’s earlier one', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, israel.id, 'AFFIRMS');
    await addStance(t, claim.id, israel.id, 'DENIES');
    const d = await dossier(claim.id);
    expect(partyIds(d.positions.affirms)).toEqual([turkiye.id]);
    expect(partyIds(d.positions.denies)).toEqual([israel.id]);
  });

  test('attributedSummary names who says it and who denies it', async () => {
    const claim = await createClaim({ statement: `${STATEMENT}.`, party: turkiye.id, speaker: fidan.id });
    await addStance(t, claim.id, israel.id, 'DENIES');
    const d = await dossier(claim.id);
    expect(d.attributedSummary).toBe(`Türkiye (Hakan Fidan) says ${STATEMENT}; Israel denies this.`);
  });

  test('attributedSummary joins several affirming parties: "A and B say"', async () => {
    const claim = await createClaim({ statement: 'A Palestinian state is the only path to peace', party: turkiye.id });
    await addStance(t, claim.id, pakistan.id, 'AFFIRMS');
    await addStance(t, claim.id, israel.id, 'QUESTIONS');
    const d = await dossier(claim.id);
    expect(d.attributedSummary).toBe('Türkiye and Pakistan say A Palestinian state is the only path to peace; Israel questions this.');
  });

  test('answers 404 for assertions on an unknown claim and 400 for an id that is not a UUID', async () => {
    const quote = `stance ${next()}`;
    const source = await sourceFor(quote);
    const body = { partyId: israel.id, sourceId: source.id, stance: 'DENIES', quote, quoteKind: 'INDIRECT' };
    const missing = await editor.post('/v1/claims/00000000-0000-7000-8000-000000000000/assertions').send(body);
    expect(missing.status).toBe(404);
    expect((await editor.post('/v1/claims/not-a-uuid/assertions').send(body)).status).toBe(400);
    expect((await reader.get('/v1/claims/00000000-0000-7000-8000-000000000000')).status).toBe(404);
  });
});

describe('GET /v1/claims', () => {
  let x: Ref;
  let y: Ref;
  let l1: { id: string };
  let l2: { id: string };
  let l3: { id: string };
  let s1: string;

  beforeAll(async () => {
    x = await makeParty(t, { name: 'Listing Ministry X', kind: 'GOVERNMENT_BODY' });
    y = await makeParty(t, { name: 'Listing State Y', kind: 'STATE' });
    const q1 = 'convoys were stopped at the crossing';
    s1 = (await sourceFor(q1)).id;
    l1 = await createClaim({
      statement: 'Aid convoys were blocked at Rafah',
      topics: ['humanitarian-aid', 'list-fixture'],
      party: x.id,
      quote: q1,
      source: s1,
      assertedAt: '2025-10-01',
    });
    l2 = await createClaim({
      statement: 'The stabilisation force will deploy in January',
      topics: ['stabilisation-force', 'list-fixture'],
      party: y.id,
      assertedAt: '2025-11-03',
    });
    await addStance(t, l2.id, x.id, 'DENIES', { assertedAt: '2025-11-04' });
    l3 = await createClaim({
      statement: 'Hostage remains were handed over',
      topics: ['hostage-remains', 'list-fixture'],
      party: y.id,
      quote: 'the zeytinburnu handover took place',
      assertedAt: '2025-12-01',
    });
  });

  async function ids(query: string): Promise<string[]> {
    const res = await reader.get(`/v1/claims?${query}`);
    expect(res.status).toBe(200);
    for (const item of res.body.data) {
      expect(item.positions).toEqual(expect.objectContaining({ affirms: expect.any(Array), denies: expect.any(Array) }));
      expect(typeof item.attributedSummary).toBe('string');
    }
    return res.body.data.map((c: { id: string }) => c.id).sort();
  }
  const sorted = (...xs: { id: string }[]) => xs.map((c) => c.id).sort();

  test('lists claims newest first with positions and nextCursor', async () => {
    const res = await reader.get('/v1/claims?topic=list-fixture');
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([l3.id, l2.id, l1.id]);
    expect(res.body.nextCursor).toBeNull();
    const item = res.body.data.find((c: { id: string }) => c.id === l2.id);
    expect(partyIds(item.positions.affirms)).toEqual([y.id]);
    expect(partyIds(item.positions.denies)).toEqual([x.id]);
    expect(item.contestation).toBe('contested');
    expect(item.attributedSummary).toBe('Listing State Y says The stabilisation force will deploy in January; Listing Ministry X denies this.');
  });

  test('filters by party (id or slug): claims the party has any active stance on', async () => {
    expect(await ids(`party=${x.id}`)).toEqual(sorted(l1, l2));
    expect(await ids(`party=${x.slug}`)).toEqual(sorted(l1, l2));
    expect(await ids(`party=${y.slug}`)).toEqual(sorted(l2, l3));
    // An unknown party is a 422, never a silently empty list (issue 13).
    const unknown = await reader.get('/v1/claims?party=no-such-party');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ path: 'party', message: 'no such party' }]);
  });

  test('filters by stance together with party: the party holds that stance', async () => {
    expect(await ids(`party=${x.slug}&stance=DENIES`)).toEqual(sorted(l2));
    expect(await ids(`party=${x.slug}&stance=AFFIRMS`)).toEqual(sorted(l1));
    expect(await ids(`party=${y.slug}&stance=DENIES`)).toEqual([]);
  });

  test('filters by topic', async () => {
    expect(await ids('topic=stabilisation-force')).toEqual(sorted(l2));
    expect(await ids('topic=hostage-remains')).toEqual(sorted(l3));
  });

  test('filters by contested=true and contested=false', async () => {
    expect(await ids('topic=list-fixture&contested=true')).toEqual(sorted(l2));
    expect(await ids('topic=list-fixture&contested=false')).toEqual(sorted(l1, l3));
  });

  test('filters by source', async () => {
    expect(await ids(`source=${s1}`)).toEqual(sorted(l1));
  });

  test('filters by when the assertions were made (from/to, a date-only `to` covering the whole day)', async () => {
    expect(await ids('topic=list-fixture&from=2025-11-01&to=2025-11-30')).toEqual(sorted(l2));
    expect(await ids('topic=list-fixture&from=2025-12-01')).toEqual(sorted(l3));
    expect(await ids('topic=list-fixture&to=2025-10-01')).toEqual(sorted(l1));
    expect(await ids('topic=list-fixture&from=2025-11-04T00:00:00Z&to=2025-11-04T23:00:00Z')).toEqual(sorted(l2));
  });

  test('q searches statements and quotes, case-insensitively', async () => {
    expect(await ids('q=RAFAH')).toEqual(sorted(l1));
    expect(await ids('q=zeytinburnu')).toEqual(sorted(l3));
    expect(await ids('q=stopped%20at%20the%20crossing')).toEqual(sorted(l1));
    expect(await ids('q=nothing-like-this-anywhere')).toEqual([]);
  });

  test('answers 400 for an unknown filter or a bad value', async () => {
    const unknown = await reader.get('/v1/claims?colour=red');
    expect(unknown.status).toBe(400);
    expect((await reader.get('/v1/claims?contested=maybe')).status).toBe(400);
    expect((await reader.get('/v1/claims?limit=500')).status).toBe(400);
    const cursor = await reader.get('/v1/claims?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  test('keyset pagination returns every claim once even while new claims are inserted between pages', async () => {
    const p = await makeParty(t, { name: 'Paging Party' });
    const originals: string[] = [];
    for (let i = 0; i < 5; i += 1) originals.push((await createClaim({ party: p.id, topics: ['paging'] })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await reader.get(`/v1/claims?topic=paging&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages += 1;
      if (pages === 1) {
        expect(cursor).toEqual(expect.any(String));
        // New claims arrive while the client pages.
        await createClaim({ party: p.id, topics: ['paging'] });
        await createClaim({ party: p.id, topics: ['paging'] });
      }
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    expect([...seen].sort()).toEqual([...originals].sort());
    expect(seen).toEqual([...originals].reverse()); // newest first
  });
});

describe('PATCH /v1/claims/{id}', () => {
  test('answers 428 without If-Match', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const res = await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Reworded' });
    expect(res.status).toBe(428);
    expect(res.body).toMatchObject({ status: 428, type: '/problems/if-match-required' });
    expect((await dossier(claim.id)).statement).toBe(claim.statement);
  });

  test('answers 412 for a stale ETag and changes nothing', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, israel.id, 'DENIES'); // now at version 2
    const head = await auditHead();
    const res = await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Reworded' }, '"v1"');
    expect(res.status).toBe(412);
    expect(res.body).toMatchObject({ status: 412, type: '/problems/stale-etag' });
    const d = await dossier(claim.id);
    expect(d.statement).toBe(claim.statement);
    expect(d.version).toBe(2);
    expect(await auditHead()).toEqual(head);
  });

  test('answers 200 with the current ETag, bumps the version and records claim.update', async () => {
    const claim = await createClaim({ party: turkiye.id, topics: ['ceasefire-violations'] });
    const got = await reader.get(`/v1/claims/${claim.id}`);
    const head = await auditHead();
    const res = await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Israel breaks the truce', topics: ['ceasefire-violations', 'humanitarian-aid'] }, got.headers.etag);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(claim.version + 1);
    expect(res.headers.etag).toBe((await reader.get(`/v1/claims/${claim.id}`)).headers.etag);
    expect(res.body.statement).toBe('Israel breaks the truce');
    expect(res.body.topics).toEqual(['ceasefire-violations', 'humanitarian-aid']);
    expect(res.body.positions.affirms).toHaveLength(1);
    expect(await eventsSince(head.seq)).toEqual([{ action: 'claim.update', entity_type: 'claim', entity_id: claim.id }]);

    // The old ETag is now stale.
    const again = await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Something else' }, got.headers.etag);
    expect(again.status).toBe(412);
  });

  test('refuses an unknown field (400) rather than ignoring it', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const res = await editor.patch(`/v1/claims/${claim.id}`, { contestation: 'contested' }, '*');
    expect(res.status).toBe(400);
    expect((await dossier(claim.id)).contestation).toBe('uncontested');
  });
});

describe('POST /v1/assertions/{id}/withdraw', () => {
  test('answers 400 without a reason', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    const res = await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, type: '/problems/invalid-input' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const blank = await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: '   ' });
    expect(blank.status).toBe(400);
    expect((await dossier(claim.id)).positions.denies).toHaveLength(1);
  });

  test('takes the assertion out of the positions, keeps it in history with the reason, and recomputes contestation', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    expect((await dossier(claim.id)).contestation).toBe('contested');

    const head = await auditHead();
    const res = await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'Misattributed: the statement was by another ministry' });
    expect(res.status).toBe(200);
    expect(res.body.withdrawn).toEqual({ at: expect.any(String), reason: 'Misattributed: the statement was by another ministry' });
    expect(await eventsSince(head.seq)).toEqual([
      { action: 'assertion.withdraw', entity_type: 'assertion', entity_id: denial.assertionId },
      { action: 'claim.update', entity_type: 'claim', entity_id: claim.id },
    ]);

    const d = await dossier(claim.id);
    expect(d.positions.denies).toEqual([]);
    expect(d.contestation).toBe('uncontested');
    expect(d.version).toBe(3);
    const inHistory = d.history.find((h: { assertionId: string }) => h.assertionId === denial.assertionId);
    expect(inHistory).toBeDefined();
    expect(inHistory.withdrawn.reason).toBe('Misattributed: the statement was by another ministry');
    expect(d.history).toHaveLength(2);
    expect(d.attributedSummary).not.toMatch(/Israel/);
  });

  test('withdrawing a party’s latest assertion brings back its earlier one', async () => {
    const claim = await createClaim({ party: turkiye.id });
    await addStance(t, claim.id, israel.id, 'AFFIRMS');
    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'wrong source' });
    const d = await dossier(claim.id);
    expect(partyIds(d.positions.affirms)).toEqual([israel.id, turkiye.id].sort());
    expect(d.positions.denies).toEqual([]);
  });

  test('answers 409 when the assertion was already withdrawn', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const denial = await addStance(t, claim.id, israel.id, 'DENIES');
    expect((await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'first' })).status).toBe(200);
    const head = await auditHead();
    const res = await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'second' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, type: '/problems/already-withdrawn' });
    const d = await dossier(claim.id);
    expect(d.history.find((h: { assertionId: string }) => h.assertionId === denial.assertionId).withdrawn.reason).toBe('first');
    expect(await auditHead()).toEqual(head);
  });

  test('returns 409 when the last active assertion is withdrawn, and nothing changes', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const only = claim.positions.affirms[0].assertionId;
    const before = await dossier(claim.id);
    const head = await auditHead();
    const res = await editor.post(`/v1/assertions/${only}/withdraw`).send({ reason: 'duplicate' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, type: '/problems/last-active-assertion' });
    const after = await dossier(claim.id);
    expect(after.version).toBe(before.version);
    expect(after.positions).toEqual(before.positions);
    expect(after.history[0].withdrawn).toBeNull();
    expect(await auditHead()).toEqual(head);
  });

  test('returns 409 for the last active one even after others were withdrawn', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const second = await addStance(t, claim.id, pakistan.id, 'AFFIRMS');
    expect((await editor.post(`/v1/assertions/${claim.positions.affirms[0].assertionId}/withdraw`).send({ reason: 'wrong' })).status).toBe(200);
    const res = await editor.post(`/v1/assertions/${second.assertionId}/withdraw`).send({ reason: 'also wrong' });
    expect(res.status).toBe(409);
    expect(partyIds((await dossier(claim.id)).positions.affirms)).toEqual([pakistan.id]);
  });

  test('answers 404 for an unknown assertion', async () => {
    const res = await editor.post('/v1/assertions/00000000-0000-7000-8000-000000000000/withdraw').send({ reason: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.status).toBe(404);
  });
});

describe('POST /v1/claims/{id}/merge', () => {
  test("moves A's assertions to B, redirects A (and A/graph) to B with 308, and records claim.merge", async () => {
    const a = await createClaim({ party: pakistan.id, statement: 'Israel keeps breaking the Gaza truce', topics: ['ceasefire-violations'] });
    const b = await createClaim({ party: turkiye.id, statement: STATEMENT, topics: ['humanitarian-aid'] });
    const aAssertion = a.positions.affirms[0].assertionId;

    const head = await auditHead();
    const res = await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(b.id);
    // The merge, then an event per row it moved or changed: A's assertion and B's topics.
    expect(await eventsSince(head.seq)).toEqual([
      { action: 'claim.merge', entity_type: 'claim', entity_id: a.id },
      { action: 'assertion.update', entity_type: 'assertion', entity_id: aAssertion },
      { action: 'claim.update', entity_type: 'claim', entity_id: b.id },
    ]);

    const d = await dossier(b.id);
    expect(partyIds(d.positions.affirms)).toEqual([pakistan.id, turkiye.id].sort());
    expect(d.history.map((h: { assertionId: string }) => h.assertionId)).toContain(aAssertion);
    expect(d.topics).toEqual(expect.arrayContaining(['ceasefire-violations', 'humanitarian-aid']));

    const redirected = await reader.get(`/v1/claims/${a.id}`);
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe(`/v1/claims/${b.id}`);

    const graph = await reader.get(`/v1/claims/${a.id}/graph`);
    expect(graph.status).toBe(308);
    expect(graph.headers.location).toMatch(new RegExp(`^/v1/claims/${b.id}/graph`));

    // The duplicate no longer shows up in searches; the survivor does.
    const list = await reader.get('/v1/claims?topic=ceasefire-violations');
    const listed = list.body.data.map((c: { id: string }) => c.id);
    expect(listed).not.toContain(a.id);
    expect(listed).toContain(b.id);
  });

  test('a claim merged into a claim that is merged in turn redirects straight to the final survivor', async () => {
    const a = await createClaim({ party: turkiye.id });
    const b = await createClaim({ party: israel.id });
    const c = await createClaim({ party: pakistan.id });
    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id })).status).toBe(200);
    expect((await editor.post(`/v1/claims/${b.id}/merge`).send({ intoClaimId: c.id })).status).toBe(200);
    const res = await reader.get(`/v1/claims/${a.id}`);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`/v1/claims/${c.id}`);
    expect(partyIds((await dossier(c.id)).positions.affirms)).toEqual([turkiye.id, israel.id, pakistan.id].sort());
  });

  test('adding an assertion to a merged claim redirects (308) to the survivor and writes nothing', async () => {
    const a = await createClaim({ party: turkiye.id });
    const b = await createClaim({ party: israel.id });
    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id })).status).toBe(200);
    const quote = `stance ${next()}`;
    const source = await sourceFor(quote);
    const head = await auditHead();
    const res = await editor.post(`/v1/claims/${a.id}/assertions`).send({ partyId: pakistan.id, sourceId: source.id, stance: 'DENIES', quote, quoteKind: 'INDIRECT' });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`/v1/claims/${b.id}/assertions`);
    expect(await auditHead()).toEqual(head);
  });

  test('answers 422 when a claim is merged into itself', async () => {
    const a = await createClaim({ party: turkiye.id });
    const res = await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: a.id });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'intoClaimId' })]);
    expect((await reader.get(`/v1/claims/${a.id}`)).status).toBe(200);
  });

  test('answers 409 when the claim was already merged, and 422 when merging into a merged claim', async () => {
    const a = await createClaim({ party: turkiye.id });
    const b = await createClaim({ party: israel.id });
    const c = await createClaim({ party: pakistan.id });
    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id })).status).toBe(200);

    const head = await auditHead();
    const again = await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: c.id });
    expect(again.status).toBe(409);
    expect(again.body.status).toBe(409);

    const intoMerged = await editor.post(`/v1/claims/${c.id}/merge`).send({ intoClaimId: a.id });
    expect(intoMerged.status).toBe(422);
    expect(intoMerged.body.errors).toEqual([expect.objectContaining({ path: 'intoClaimId' })]);
    expect(await auditHead()).toEqual(head);
    expect(partyIds((await dossier(c.id)).positions.affirms)).toEqual([pakistan.id]);
  });

  test('answers 422 for an unknown target claim', async () => {
    const a = await createClaim({ party: turkiye.id });
    const res = await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: '00000000-0000-7000-8000-000000000000' });
    expect(res.status).toBe(422);
  });
});

describe('audit', () => {
  test('every claim-writing request appends its named event first, then one per other row it changed, and the chain verifies', async () => {
    type Res = { status: number; body: Record<string, unknown> & { id: string } };
    const step = async (what: () => PromiseLike<{ status: number; body: unknown }>, action: string, entityId: (body: Res['body']) => string, rest: string[] = []) => {
      const head = await auditHead();
      const res = (await what()) as Res;
      expect(res.status).toBeLessThan(300);
      const events = await eventsSince(head.seq);
      expect(events.map((e) => e.action)).toEqual([action, ...rest]);
      expect(events[0]!.entity_id).toBe(entityId(res.body));
      return res;
    };
    const byId = (body: Res['body']) => body.id;
    // Sources are prepared first: creating a source is a write of its own.
    const [qa, qb, qc, qd] = [`quote ${next()}`, `quote ${next()}`, `quote ${next()}`, `quote ${next()}`];
    const [sa, sb, sc, sd] = [await sourceFor(qa), await sourceFor(qb), await sourceFor(qc), await sourceFor(qd)];
    const a = await step(
      () => editor.post('/v1/claims').send({ statement: 'Audit A', assertion: { partyId: turkiye.id, sourceId: sa.id, stance: 'AFFIRMS', quote: qa, quoteKind: 'DIRECT' } }),
      'claim.create',
      byId,
      ['assertion.create'],
    );
    const b = await step(
      () => editor.post('/v1/claims').send({ statement: 'Audit B', assertion: { partyId: israel.id, sourceId: sb.id, stance: 'AFFIRMS', quote: qb, quoteKind: 'DIRECT' } }),
      'claim.create',
      byId,
      ['assertion.create'],
    );
    const added = await step(
      () => editor.post(`/v1/claims/${a.body.id}/assertions`).send({ partyId: pakistan.id, sourceId: sc.id, stance: 'DENIES', quote: qc, quoteKind: 'INDIRECT' }),
      'assertion.create',
      (body) => body.assertionId as string,
      ['claim.update'],
    );
    await step(
      () => editor.post(`/v1/assertions/${added.body.assertionId}/withdraw`).send({ reason: 'wrong party' }),
      'assertion.withdraw',
      () => added.body.assertionId as string,
      ['claim.update'],
    );
    await step(() => editor.patch(`/v1/claims/${a.body.id}`, { topics: ['audited'] }, '*'), 'claim.update', () => a.body.id);
    const bAssertion = (b.body.positions as { affirms: { assertionId: string }[] }).affirms[0]!.assertionId;
    await step(
      () => editor.post(`/v1/claims/${b.body.id}/relations`).send({ type: 'COUNTERS', targetClaimId: a.body.id, basis: 'PARTY', assertionId: bAssertion }),
      'relation.create',
      byId,
      ['claim.update', 'claim.update'],
    );
    const dup = await createClaim({ party: turkiye.id, quote: qd, source: sd.id });
    await step(() => editor.post(`/v1/claims/${dup.id}/merge`).send({ intoClaimId: a.body.id }), 'claim.merge', () => dup.id, ['assertion.update', 'claim.update']);

    const verify = await admin.get('/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null });
    expect(verify.body.checked).toBe((await auditHead()).seq);
  });

  test('reads append no audit event', async () => {
    const claim = await createClaim({ party: turkiye.id });
    const head = await auditHead();
    await reader.get(`/v1/claims/${claim.id}`);
    await reader.get('/v1/claims');
    await reader.get(`/v1/claims/${claim.id}/graph`);
    expect(await auditHead()).toEqual(head);
  });
});
