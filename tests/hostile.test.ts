import type { Response, Test } from 'supertest';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makeSource } from './helpers/factories';
import {
  expectFieldError,
  expectProblem,
  expectRefusedWithoutWrite,
  rowCounts,
  TABLES,
  verifyChain,
  writeState,
} from './helpers/problems';
import { listen, rawRequest, type Listening } from './helpers/raw-http';

/*
 * Hostile input on every write endpoint (SPEC §3.1, §1.4 "stored exactly as
 * given"): whatever arrives is either stored as plain text or refused with a
 * 4xx problem, and a refused write leaves no trace: the audit head and the
 * row count of every table stay as they were. Never a 500.
 */

let t: TestApp;
let server: Listening;
let editorKey: string;

// Fixtures the endpoints below point at.
let party: { id: string; slug: string };
let patchTarget: { id: string };
let plainSource: { id: string }; // no text: quotes are not anchored
let claim: { id: string };
let otherClaim: { id: string };

beforeAll(async () => {
  t = await startTestApp();
  server = await listen(t);
  editorKey = await t.keyFor('EDITOR');
  party = await makeParty(t, { name: 'Hostile Test State' });
  patchTarget = await makeParty(t, { name: 'Patch Target' });
  plainSource = await makeSource(t, { title: 'A source without text' });
  claim = await makeClaim(t, { statement: 'The first claim under attack', party: party.id });
  otherClaim = await makeClaim(t, { statement: 'The second claim under attack', party: party.id });
});

afterAll(async () => {
  await server?.close();
  await t?.close();
});

let seq = 0;
const unique = () => `${Date.now().toString(36)}-${(seq += 1)}`;

type Body = Record<string, unknown>;

/** One write endpoint: how to reach it, a valid body, and a free-text field in it. */
type Endpoint = {
  name: string;
  method: 'post' | 'patch';
  path: () => string;
  key: () => string;
  valid: () => Body;
  /** Dotted path of a free-text string field of the body. */
  textField: string;
};

const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /v1/parties',
    method: 'post',
    path: () => '/v1/parties',
    key: () => editorKey,
    valid: () => ({ name: `Party ${unique()}`, kind: 'STATE' }),
    textField: 'name',
  },
  {
    name: 'POST /v1/sources',
    method: 'post',
    path: () => '/v1/sources',
    key: () => editorKey,
    valid: () => ({ kind: 'ARTICLE', title: `Source ${unique()}` }),
    textField: 'title',
  },
  {
    name: 'POST /v1/claims',
    method: 'post',
    path: () => '/v1/claims',
    key: () => editorKey,
    valid: () => ({
      statement: `Claim ${unique()}`,
      assertion: { partyId: party.id, sourceId: plainSource.id, stance: 'AFFIRMS', quote: 'some words', quoteKind: 'INDIRECT' },
    }),
    textField: 'assertion.quote',
  },
  {
    name: 'POST /v1/claims/{id}/assertions',
    method: 'post',
    path: () => `/v1/claims/${claim.id}/assertions`,
    key: () => editorKey,
    valid: () => ({ partyId: party.id, sourceId: plainSource.id, stance: 'QUESTIONS', quote: `doubt ${unique()}`, quoteKind: 'INDIRECT' }),
    textField: 'quote',
  },
  {
    name: 'POST /v1/claims/{id}/relations',
    method: 'post',
    path: () => `/v1/claims/${otherClaim.id}/relations`,
    key: () => editorKey,
    valid: () => ({ type: 'CONTRADICTS', targetClaimId: claim.id, basis: 'EDITORIAL', note: 'an editorial link' }),
    textField: 'note',
  },
  {
    name: 'PATCH /v1/parties/{id}',
    method: 'patch',
    path: () => `/v1/parties/${patchTarget.id}`,
    key: () => editorKey,
    valid: () => ({ description: `described ${unique()}` }),
    textField: 'description',
  },
  {
    name: 'POST /v1/keys',
    method: 'post',
    path: () => '/v1/keys',
    key: () => ADMIN_KEY,
    valid: () => ({ name: `Key ${unique()}`, role: 'READER' }),
    textField: 'name',
  },
];

/** Sends `body` byte for byte (no serialisation) with the endpoint's key; PATCHes carry If-Match: *. */
function sendRaw(ep: Endpoint, body: string | Buffer, contentType: string = 'application/json'): Test {
  let req = (ep.method === 'post' ? t.http.post(ep.path()) : t.http.patch(ep.path()))
    .set('Authorization', `Bearer ${ep.key()}`)
    .set('Content-Type', contentType);
  if (ep.method === 'patch') req = req.set('If-Match', '*');
  return req.serialize((x: unknown) => x as string).send(body as string);
}

const sendJson = (ep: Endpoint, body: unknown) => sendRaw(ep, JSON.stringify(body));

function setPath(obj: Body, dotted: string, value: unknown): Body {
  const copy: Body = structuredClone(obj);
  const keys = dotted.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    at[k] = at[k] && typeof at[k] === 'object' ? at[k] : {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]!] = value;
  return copy;
}

/** A raw JSON body whose text field holds `escapeSequence` verbatim (e.g. the six characters \ud800). */
function bodyWithRawEscape(ep: Endpoint, escapeSequence: string): string {
  const marker = `@@MARK${unique()}@@`;
  return JSON.stringify(setPath(ep.valid(), ep.textField, `v${unique()} x${marker}y`)).replace(marker, escapeSequence);
}

const refused = (status: number, send: () => PromiseLike<Response>) => expectRefusedWithoutWrite(t, status, send);

async function expectTablesIntact() {
  for (const name of TABLES) {
    const [row] = await t.db.sql.query<{ present: string | null }>('SELECT to_regclass($1)::text AS present', [`public.${name}`]);
    expect(row?.present).toBe(name);
  }
  expect(await verifyChain(t)).toEqual(expect.objectContaining({ ok: true, firstBadSeq: null }));
}

describe('SQL fragments', () => {
  const DROP = "'; DROP TABLE claim; --";
  const OR = '1 OR 1=1';

  test('are stored as plain text by every write endpoint and the tables stay intact', async () => {
    const editor = await t.as('EDITOR');
    const admin = await t.as('ADMIN');
    const sqlSourceText = `He said '; DROP TABLE assertion; -- and then 1' OR '1'='1 before leaving.`;
    const before = await rowCounts(t);

    const p = await editor.post('/v1/parties').send({ name: DROP, kind: 'STATE', aliases: [OR, "Robert'); DROP TABLE party;--"], description: "1' OR '1'='1" });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ name: DROP, aliases: [OR, "Robert'); DROP TABLE party;--"], description: "1' OR '1'='1" });

    const s = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: OR, text: sqlSourceText });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ title: OR, text: sqlSourceText });

    const c = await editor.post('/v1/claims').send({
      statement: DROP,
      assertion: { partyId: p.body.id, sourceId: s.body.id, stance: 'AFFIRMS', quote: "'; DROP TABLE assertion; --", quoteKind: 'DIRECT' },
    });
    expect(c.status).toBe(201);
    expect(c.body.statement).toBe(DROP);
    expect(c.body.positions.affirms[0]).toMatchObject({ quote: "'; DROP TABLE assertion; --", anchor: expect.objectContaining({ exact: "'; DROP TABLE assertion; --" }) });

    const a = await editor.post(`/v1/claims/${claim.id}/assertions`).send({
      partyId: p.body.id, sourceId: s.body.id, stance: 'QUESTIONS', quote: "1' OR '1'='1", quoteKind: 'DIRECT', occasion: OR,
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ quote: "1' OR '1'='1", occasion: OR });

    const r = await editor.post(`/v1/claims/${c.body.id}/relations`).send({ type: 'COUNTERS', targetClaimId: claim.id, basis: 'EDITORIAL', note: "'; DELETE FROM audit_event; --" });
    expect(r.status).toBe(201);
    expect(r.body.note).toBe("'; DELETE FROM audit_event; --");

    const current = await editor.get(`/v1/parties/${patchTarget.id}`);
    const u = await editor.patch(`/v1/parties/${patchTarget.id}`, { description: "'; UPDATE party SET name = 'pwned'; --", aliases: [OR] }, current.headers.etag);
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({ description: "'; UPDATE party SET name = 'pwned'; --", aliases: [OR] });

    const k = await admin.post('/v1/keys').send({ name: "'; DROP TABLE api_key; --", role: 'READER' });
    expect(k.status).toBe(201);
    expect(k.body.name).toBe("'; DROP TABLE api_key; --");

    // Read back from the database itself, by parameter: exactly the text that was sent.
    const [stored] = await t.db.sql.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM party WHERE name = $1) + (SELECT count(*)::int FROM claim WHERE statement = $1) AS n`,
      [DROP],
    );
    expect(stored?.n).toBe(2);
    expect(await t.db.sql.query(`SELECT 1 FROM party WHERE name = 'pwned'`)).toHaveLength(0);

    const after = await rowCounts(t);
    expect(after).toEqual({
      ...before,
      actor: before.actor + 1,
      api_key: before.api_key + 1,
      party: before.party + 1,
      source: before.source + 1,
      claim: before.claim + 1,
      claim_hit: before.claim_hit! + 1,
      // The new claim's statement and quote, and the added assertion's quote, stemmed for the draft check.
      draft_text: before.draft_text! + 3,
      assertion: before.assertion + 2,
      claim_relation: before.claim_relation + 1,
      // An event per row changed (SPEC §1.8): the party twice, key and actor, source, claim and assertion,
      // an assertion and its claim, a relation and both its claims.
      audit_event: before.audit_event + 12,
    });
    await expectTablesIntact();
  });

  test.each([
    ['POST /v1/parties', 400, () => ({ name: 'Enum attack', kind: "STATE'; DROP TABLE party; --" }), '/v1/parties', 'kind'],
    ['POST /v1/sources', 400, () => ({ kind: 'ARTICLE', title: 'x', url: "https://x' OR '1'='1" + ' --' }), '/v1/sources', 'url'],
    ['POST /v1/claims (sourceId)', 400, () => ({ statement: 'x', assertion: { partyId: party.id, sourceId: "' OR '1'='1", stance: 'AFFIRMS', quote: 'q', quoteKind: 'DIRECT' } }), '/v1/claims', 'assertion.sourceId'],
    ['POST /v1/claims/{id}/relations (targetClaimId)', 400, () => ({ type: 'COUNTERS', targetClaimId: '1 OR 1=1', basis: 'EDITORIAL' }), () => `/v1/claims/${otherClaim.id}/relations`, 'targetClaimId'],
    ['POST /v1/keys (role)', 400, () => ({ name: 'x', role: "ADMIN' --" }), '/v1/keys', 'role'],
  ])('in enum and id fields are refused: %s', async (_name, status, body, path, field) => {
    const target = typeof path === 'function' ? path() : path;
    const key = target === '/v1/keys' ? ADMIN_KEY : editorKey;
    const problem = await refused(status, () => t.http.post(target).set('Authorization', `Bearer ${key}`).send(body()));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
    await expectTablesIntact();
  });

  test('as a party reference are an unknown party (422), not a query', async () => {
    const problem = await refused(422, () =>
      t.http.post(`/v1/claims/${claim.id}/assertions`).set('Authorization', `Bearer ${editorKey}`).send({
        partyId: "x' OR '1'='1", sourceId: plainSource.id, stance: 'AFFIRMS', quote: 'q', quoteKind: 'DIRECT',
      }),
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'partyId' })]);
  });

  test('in path ids answer 404 or 400 and write nothing', async () => {
    const editor = await t.as('EDITOR');
    await refused(404, () => editor.patch(`/v1/parties/${encodeURIComponent(DROP)}`, { description: 'x' }, '*'));
    await refused(400, () => editor.post(`/v1/claims/${encodeURIComponent(OR)}/assertions`, { partyId: party.id, sourceId: plainSource.id, stance: 'AFFIRMS', quote: 'q', quoteKind: 'DIRECT' }));
    await refused(400, () => editor.post(`/v1/claims/${encodeURIComponent(DROP)}/relations`, { type: 'COUNTERS', targetClaimId: claim.id, basis: 'EDITORIAL' }));
    expectProblem(await editor.get(`/v1/parties/${encodeURIComponent(DROP)}`), 404);
    await expectTablesIntact();
  });

  test('in search parameters are searched for as text', async () => {
    const reader = await t.as('READER');
    const before = await rowCounts(t);
    for (const path of ['/v1/parties', '/v1/sources', '/v1/claims']) {
      for (const q of [DROP, OR, "x' UNION SELECT key_hash FROM api_key --", '1; SELECT pg_sleep(10)']) {
        const res = await reader.get(`${path}?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: expect.any(Array), nextCursor: null });
      }
    }
    expect(await rowCounts(t)).toEqual(before);
    // A party literally named after an injection is found by it, and only it.
    const name = `Bobby'); DROP TABLE party; -- ${unique()}`;
    expect((await (await t.as('EDITOR')).post('/v1/parties').send({ name, kind: 'PERSON' })).status).toBe(201);
    const found = await reader.get(`/v1/parties?q=${encodeURIComponent(name)}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((p: { name: string }) => p.name)).toEqual([name]);
    await expectTablesIntact();
  });

  test('LIKE wildcards in q match themselves, not everything', async () => {
    const reader = await t.as('READER');
    await makeParty(t, { name: 'Wildcard Alpha' });
    await makeParty(t, { name: 'Wildcard Beta' });
    const all = await reader.get('/v1/parties?limit=200');
    expect(all.body.data.length).toBeGreaterThan(2);
    for (const q of ['%', '_']) {
      const res = await reader.get(`/v1/parties?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      // No party has a literal % or _ in its name, slug or aliases.
      expect(res.body.data.map((p: { name: string }) => p.name)).toEqual([]);
    }
  });
});

describe('NUL bytes', () => {
  test.each(ENDPOINTS)('in a string field are refused (400) by $name', async (ep) => {
    await refused(400, () => sendJson(ep, setPath(ep.valid(), ep.textField, 'before\u0000after')));
    expectFieldError(await sendJson(ep, setPath(ep.valid(), ep.textField, '\u0000')), ep.textField, /NUL/);
  });

  test('in an alias or an anchor prefix are refused with the field path', async () => {
    const editor = await t.as('EDITOR');
    expectFieldError(await editor.post('/v1/parties').send({ name: 'Nul alias', kind: 'STATE', aliases: ['ok', 'bad\u0000'] }), 'aliases.1', /NUL/);
    expectFieldError(
      await editor.post(`/v1/claims/${claim.id}/assertions`).send({ partyId: party.id, sourceId: plainSource.id, stance: 'AFFIRMS', quote: 'q', quoteKind: 'DIRECT', anchor: { prefix: '\u0000' } }),
      'anchor.prefix',
      /NUL/,
    );
  });
});

describe('lone surrogates sent as JSON escapes', () => {
  test.each(ENDPOINTS)('are refused (400) by $name', async (ep) => {
    const problem = await refused(400, () => sendRaw(ep, bodyWithRawEscape(ep, '\\ud800')));
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: ep.textField, message: expect.stringMatching(/surrogate|well-formed/) })]));
  });

  test.each([['a lone low surrogate', '\\udc00'], ['a reversed pair', '\\udc00\\ud800'], ['a high surrogate at the end', '\\ud83d']])(
    '%s is refused too',
    async (_what, escape) => {
      await refused(400, () => sendRaw(ENDPOINTS[0]!, bodyWithRawEscape(ENDPOINTS[0]!, escape)));
    },
  );

  test('a proper surrogate pair (an emoji written as escapes) is accepted and stored as that emoji', async () => {
    const ep = ENDPOINTS[0]!;
    const res = await sendRaw(ep, bodyWithRawEscape(ep, '\\ud83c\\uddf9\\ud83c\\uddf7'));
    expect(res.status).toBe(201);
    expect(res.body.name).toMatch(/^v\S+ x🇹🇷y$/);
  });
});

describe('bytes that are not UTF-8', () => {
  // SPEC §3.1: bodies are UTF-8 JSON. Invalid bytes must not be silently
  // replaced by U+FFFD and stored: that changes the text (§1.4, "stored exactly as given").
  test.each(ENDPOINTS)('are refused (400) by $name', async (ep) => {
    const [head, tail] = JSON.stringify(setPath(ep.valid(), ep.textField, `utf8 ${unique()} x@@SPLIT@@y`)).split('@@SPLIT@@');
    const body = Buffer.concat([Buffer.from(head!, 'utf8'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from(tail!, 'utf8')]);
    await refused(400, () => sendRaw(ep, body));
  });
});

describe('oversized bodies', () => {
  const TEN_MB = 10 * 1024 * 1024;

  test.each(ENDPOINTS)('a 10 MB body is refused (413) by $name', async (ep) => {
    const body = JSON.stringify(setPath(ep.valid(), ep.textField, 'x'.repeat(TEN_MB)));
    const problem = await refused(413, () => sendRaw(ep, body));
    expect(problem.type).toMatch(/too-large/);
  });

  test('a 10 MB body streamed chunked, without Content-Length, is cut off with 413', async () => {
    const before = await writeState(t);
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const res = await rawRequest(server.port, {
      method: 'POST',
      path: '/v1/parties',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${editorKey}`, 'Transfer-Encoding': 'chunked' },
      chunks: ['{"kind":"STATE","name":"', ...Array.from({ length: 10 }, () => chunk), '"}'],
    });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expect(await writeState(t)).toEqual(before);
  });
});

describe('deeply nested JSON', () => {
  const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '"leaf"' + '}'.repeat(depth);

  test.each(ENDPOINTS)('100000 nested arrays as the body are refused (400) by $name', async (ep) => {
    await refused(400, () => sendRaw(ep, nestedArrays(100_000)));
  });

  test.each(ENDPOINTS)('an object nested 10000 deep in a text field is refused (400) by $name', async (ep) => {
    const body = JSON.stringify(setPath(ep.valid(), ep.textField, '@@X@@')).replace('"@@X@@"', nestedObject(10_000));
    const problem = await refused(400, () => sendRaw(ep, body));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(ep.textField);
  });

  test.each(ENDPOINTS)('an object nested 10000 deep in an unknown field is refused (400) by $name', async (ep) => {
    const body = JSON.stringify({ ...ep.valid(), deep: '@@X@@' }).replace('"@@X@@"', nestedObject(10_000));
    const problem = await refused(400, () => sendRaw(ep, body));
    expect(JSON.stringify(problem.errors)).toContain('deep');
  });

  test('arrays nested 100000 deep inside an assertion anchor are refused (400)', async () => {
    const body = JSON.stringify({ partyId: party.id, sourceId: plainSource.id, stance: 'AFFIRMS', quote: 'q', quoteKind: 'DIRECT', anchor: '@@X@@' }).replace('"@@X@@"', nestedArrays(100_000));
    await refused(400, () => sendRaw(ENDPOINTS[3]!, body));
  });
});

describe('wrong types', () => {
  // [endpoint index, field, value]
  const CASES: [number, string, unknown][] = [
    [0, 'name', 42],
    [0, 'name', null],
    [0, 'name', ['Türkiye']],
    [0, 'aliases', 'Turkey'],
    [0, 'kind', null],
    [0, 'description', { text: 'x' }],
    [1, 'title', 1],
    [1, 'kind', true],
    [1, 'text', 5],
    [1, 'url', null],
    [2, 'statement', 7],
    [2, 'topics', 'ceasefire-violations'],
    [2, 'subjects', 'israel'],
    [2, 'assertion', null],
    [2, 'assertion', 'a quote'],
    [2, 'assertion.quote', 12],
    [2, 'assertion.anchor.start', '3'],
    [3, 'stance', 1],
    [3, 'quote', null],
    [3, 'anchor', 'x'],
    [3, 'assertedAt', 1762128000000],
    [4, 'type', 1],
    [4, 'targetClaimId', 123],
    [4, 'note', false],
    [5, 'name', 42],
    [5, 'aliases', 'x'],
    [5, 'country', 5],
    [6, 'name', 1],
    [6, 'role', null],
    [6, 'role', ['ADMIN']],
  ];

  test.each(CASES.map(([i, field, value]) => [ENDPOINTS[i]!.name, field, JSON.stringify(value), i, value] as const))(
    '%s: %s = %s is refused (400) with errors[].path',
    async (_name, field, _shown, i, value) => {
      const ep = ENDPOINTS[i]!;
      const res = await refused(400, () => sendJson(ep, setPath(ep.valid(), field, value)));
      expect(res.errors.map((e: { path: string }) => e.path)).toContain(field);
    },
  );

  test.each(ENDPOINTS)('a body that is an array, not an object, is refused (400) by $name', async (ep) => {
    const problem = await refused(400, () => sendRaw(ep, JSON.stringify([ep.valid()])));
    expect(problem.errors).toEqual([expect.objectContaining({ path: '(root)' })]);
  });

  test.each(['null', '"a string"', '42', 'true'])('a body that is the JSON scalar %s is refused (400)', async (body) => {
    await refused(400, () => sendRaw(ENDPOINTS[0]!, body));
  });
});

describe('unknown fields', () => {
  test.each(ENDPOINTS)('are refused (400) naming the field by $name', async (ep) => {
    const problem = await refused(400, () => sendJson(ep, { ...ep.valid(), isAdmin: true }));
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('isAdmin') })]));
  });

  test.each([
    ['an assertion inside a claim', 2, 'assertion', { verified: true }],
    ['an anchor', 3, 'anchor', { exact: 'q', offset: 3 }],
  ] as const)('inside %s are refused (400) naming the field', async (_what, i, field, value) => {
    const ep = ENDPOINTS[i]!;
    const base = ep.valid();
    const nested = field === 'assertion' ? { ...(base.assertion as Body), ...value } : value;
    const problem = await refused(400, () => sendJson(ep, { ...base, [field]: nested }));
    const named = problem.errors.find((e: { message: string }) => /verified|offset/.test(e.message));
    expect(named?.path).toBe(field);
  });

  test.each(['__proto__', 'constructor', 'prototype'])('a "%s" key is refused (400) and pollutes nothing', async (key) => {
    const ep = ENDPOINTS[6]!; // keys: the endpoint where a smuggled role would hurt most
    const body = JSON.stringify(ep.valid()).replace(/}$/, `,"${key}":{"role":"ADMIN","isAdmin":true}}`);
    const problem = await refused(400, () => sendRaw(ep, body));
    expect(JSON.stringify(problem.errors)).toContain(key);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  test('fields a client may not set (id, version, contentSha256, contestation) are refused, not written', async () => {
    const editor = await t.as('EDITOR');
    const forged = '019a4a10-0000-7000-8000-0000000000ff';
    await refused(400, () => editor.post('/v1/parties').send({ name: 'Forged id', kind: 'STATE', id: forged }));
    await refused(400, () => editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'Forged hash', text: 'abc', contentSha256: '0'.repeat(64) }));
    await refused(400, () => editor.post('/v1/claims').send({ ...ENDPOINTS[2]!.valid(), contestation: 'uncontested', version: 99 }));
    await refused(400, () => editor.patch(`/v1/parties/${patchTarget.id}`, { version: 1 }, '*'));
  });
});

describe('huge and non-finite numbers', () => {
  const HUGE = ['1e400', '-1e400', '18446744073709551616', '9007199254740993', '1e21'];

  test.each(HUGE)('anchor offsets of %s are refused (400) on POST /v1/claims/{id}/assertions', async (n) => {
    const ep = ENDPOINTS[3]!;
    const body = JSON.stringify({ ...ep.valid(), anchor: { start: 0, end: '@@N@@' } }).replace('"@@N@@"', n);
    const problem = await refused(400, () => sendRaw(ep, body));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('anchor.end');
  });

  test.each(HUGE)('an anchor start of %s inside POST /v1/claims is refused (400)', async (n) => {
    const ep = ENDPOINTS[2]!;
    const valid = ep.valid();
    const body = JSON.stringify({ ...valid, assertion: { ...(valid.assertion as Body), anchor: { start: '@@N@@', end: 3 } } }).replace('"@@N@@"', n);
    const problem = await refused(400, () => sendRaw(ep, body));
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain('assertion.anchor.start');
  });

  test.each([
    ...['1e400', '18446744073709551616', '-1', '0', '201', '1.5', 'NaN', 'Infinity', 'abc', ''].map((v) => ['/v1/parties', v]),
    ['/v1/claims', '1e400'],
    ['/v1/claims', '18446744073709551616'],
    ['/v1/sources', '1e400'],
    ['/v1/keys', '18446744073709551616'],
    ['/v1/audit/events', '1e400'],
  ])('GET %s?limit=%s is refused (400)', async (path, value) => {
    const res = await t.http.get(`${path}?limit=${encodeURIComponent(value)}`).set('Authorization', `Bearer ${ADMIN_KEY}`);
    expectFieldError(res, 'limit');
  });

  test('a graph depth of 1e400 is refused (400)', async () => {
    expectFieldError(await t.http.get(`/v1/claims/${claim.id}/graph?depth=1e400`).set('Authorization', `Bearer ${editorKey}`), 'depth');
  });
});

describe('forged pagination cursors', () => {
  // SPEC §3.1: cursors are opaque; one the API never issued is a malformed request (400), never a 500.
  const forge = (values: unknown) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

  test.each([
    ['/v1/parties', forge(['a'])],
    ['/v1/parties', forge([1, 2])],
    ['/v1/parties', 'not*base64'],
    ['/v1/claims', forge(['zz'])],
    ['/v1/sources', forge(["' OR 1=1 --"])],
    ['/v1/keys', forge(['zz'])],
    ['/v1/audit/events', forge(['x'])],
    ['/v1/audit/events', forge([1.5])],
    ['/v1/audit/events', forge([1e300])],
  ])('GET %s?cursor=%s is refused (400)', async (path, cursor) => {
    const res = await t.http.get(`${path}?cursor=${cursor}`).set('Authorization', `Bearer ${ADMIN_KEY}`);
    expectFieldError(res, 'cursor');
  });
});

describe('mixed scripts and right-to-left text', () => {
  const NAMES: [string, string][] = [
    ['Arabic', 'الجمهورية التركية'],
    ['Urdu', 'اسلامی جمہوریہ پاکستان'],
    ['Hebrew', 'מדינת ישראל'],
    ['Persian with a zero-width non-joiner', 'می‌خواهم'],
    ['Cyrillic homoglyph in a Latin word', 'Тurkiye'], // U+0422 CYRILLIC CAPITAL TE
    ['all-homoglyph spelling', 'Іsrаеl'], // U+0406, U+0430, U+0435
    ['decomposed diaeresis', 'Tu\u0308rkiye mixed'],
    ['bidi override', 'abc \u202Edecoy\u202C xyz'],
    ['Latin, Arabic and digits mixed', 'Hakan Fidan هاکان فیدان 2025'],
    ['an emoji flag', '🇹🇷 Türkiye flag'],
  ];

  test.each(NAMES)('a %s name is stored and read back exactly', async (_what, name) => {
    const editor = await t.as('EDITOR');
    const created = await editor.post('/v1/parties').send({ name, kind: 'STATE', aliases: [name, `${name} (alias)`] });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    expect(created.body.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const read = await editor.get(`/v1/parties/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe(name);
    expect(read.body.aliases).toEqual([name, `${name} (alias)`]);
    expect([...read.body.name].map((c: string) => c.codePointAt(0))).toEqual([...name].map((c) => c.codePointAt(0)));
    const [row] = await t.db.sql.query<{ name: string; bytes: string }>(`SELECT name, encode(convert_to(name, 'UTF8'), 'hex') AS bytes FROM party WHERE id = $1`, [created.body.id]);
    expect(row?.name).toBe(name);
    expect(row?.bytes).toBe(Buffer.from(name, 'utf8').toString('hex'));
  });

  test('a homoglyph name is a different party from the Latin one', async () => {
    const editor = await t.as('EDITOR');
    const latin = await editor.post('/v1/parties').send({ name: 'Homoglyphia', kind: 'STATE' });
    const cyrillic = await editor.post('/v1/parties').send({ name: 'Ноmoglyphia', kind: 'STATE' }); // Н, о Cyrillic
    expect(latin.status).toBe(201);
    expect(cyrillic.status).toBe(201);
    expect(cyrillic.body.id).not.toBe(latin.body.id);
    expect(cyrillic.body.slug).not.toBe(latin.body.slug);
    expect(cyrillic.body.name).toBe('Ноmoglyphia');
    expect(cyrillic.body.name).not.toBe(latin.body.name);
  });

  test('an Arabic quote is anchored in an Arabic source by code points, exactly as sent', async () => {
    const editor = await t.as('EDITOR');
    const text = '🇹🇷 قال الوزير: «إسرائيل تنتهك وقف إطلاق النار بانتظام» في إسطنبول.';
    const quote = 'إسرائيل تنتهك وقف إطلاق النار بانتظام';
    const source = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'مقال', language: 'ar', text });
    expect(source.status).toBe(201);
    expect(source.body.text).toBe(text);
    const speaker = await editor.post('/v1/parties').send({ name: 'هاکان فیدان', kind: 'PERSON' });
    const res = await editor.post(`/v1/claims/${claim.id}/assertions`).send({
      partyId: party.id, speakerId: speaker.body.id, sourceId: source.body.id, stance: 'AFFIRMS', quote, quoteKind: 'DIRECT',
    });
    expect(res.status).toBe(201);
    const cps = [...text];
    const start = [...text.slice(0, text.indexOf(quote))].length;
    expect(res.body.anchor).toMatchObject({ exact: quote, start, end: start + [...quote].length });
    expect(cps.slice(res.body.anchor.start, res.body.anchor.end).join('')).toBe(quote);
    expect(res.body.speaker.name).toBe('هاکان فیدان');
  });
});

describe('malformed JSON', () => {
  const MALFORMED = ['{"name":', "{'name':'x','kind':'STATE'}", '{"name":"x","kind":"STATE",}', '{"name":"x"} {"kind":"STATE"}', '{name:"x"}', '{"name":"\\x41"}', '[1,2', 'nul', '\u00ff'];

  test.each(ENDPOINTS)('is refused (400) by $name', async (ep) => {
    for (const body of MALFORMED) {
      const problem = await refused(400, () => sendRaw(ep, body));
      expect(problem.type).toMatch(/malformed/);
    }
  });
});

describe('wrong content type', () => {
  const TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/jsonx'];

  test.each(ENDPOINTS)('is refused (415) by $name', async (ep) => {
    for (const type of TYPES) {
      await refused(415, () => sendRaw(ep, JSON.stringify(ep.valid()), type));
    }
  });

  test('a JSON body sent with no Content-Type at all is refused (415)', async () => {
    const before = await writeState(t);
    const body = JSON.stringify({ name: `No type ${unique()}`, kind: 'STATE' });
    const res = await rawRequest(server.port, {
      method: 'POST',
      path: '/v1/parties',
      headers: { Authorization: `Bearer ${editorKey}`, 'Content-Length': String(Buffer.byteLength(body)) },
      chunks: [body],
    });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await writeState(t)).toEqual(before);
  });
});

describe('query parameters', () => {
  test.each(['/v1/parties', '/v1/sources', '/v1/claims', '/v1/keys', '/v1/audit/events'])('an unknown parameter on GET %s is refused (400) naming it', async (path) => {
    const res = await t.http.get(`${path}?limt=5`).set('Authorization', `Bearer ${ADMIN_KEY}`);
    const problem = expectProblem(res, 400);
    expect(JSON.stringify(problem.errors)).toContain('limt');
  });

  test.each(ENDPOINTS)('an unknown parameter on $name is refused (400) and nothing is written', async (ep) => {
    const problem = await refused(400, () => {
      let req = (ep.method === 'post' ? t.http.post(`${ep.path()}?dryRun=1`) : t.http.patch(`${ep.path()}?dryRun=1`).set('If-Match', '*'))
        .set('Authorization', `Bearer ${ep.key()}`);
      return req.send(ep.valid());
    });
    expect(JSON.stringify(problem.errors)).toContain('dryRun');
  });

  test.each(['/v1/parties', '/v1/sources', '/v1/claims'])('a NUL in q on GET %s is refused (400)', async (path) => {
    expectFieldError(await t.http.get(`${path}?q=a%00b`).set('Authorization', `Bearer ${editorKey}`), 'q', /NUL/);
  });

  test.each([
    ['/v1/parties', 'limit=1&limit=2', 'limit'],
    ['/v1/parties', 'q=a&q=b', 'q'],
    ['/v1/parties', 'kind=STATE&kind=PERSON', 'kind'],
    ['/v1/claims', 'limit=1&limit=2', 'limit'],
    ['/v1/claims', 'topic=a&topic=b', 'topic'],
    ['/v1/sources', 'q=a&q=b', 'q'],
    ['/v1/audit/events', 'action=a&action=b', 'action'],
  ])('a repeated parameter on GET %s?%s is refused (400)', async (path, qs, field) => {
    expectFieldError(await t.http.get(`${path}?${qs}`).set('Authorization', `Bearer ${ADMIN_KEY}`), field);
  });

  test('bracket syntax is not parsed into objects (q[$ne]=x is just an unknown parameter)', async () => {
    const res = await t.http.get('/v1/parties?q[$ne]=x').set('Authorization', `Bearer ${editorKey}`);
    expect(JSON.stringify(expectProblem(res, 400).errors)).toContain('q[$ne]');
  });
});

test('after all of the above the audit chain verifies and no table was harmed', async () => {
  await expectTablesIntact();
});
