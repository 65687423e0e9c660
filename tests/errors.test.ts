import request from 'supertest';
import { createApp } from '../src/app';
import type { Database } from '../src/db/client';
import type { Logger } from '../src/shared/logger';
import { ADMIN_KEY, startTestApp, testConfig, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makeSource } from './helpers/factories';
import { expectFieldError, expectProblem } from './helpers/problems';

/*
 * SPEC §3.1: every error is RFC 9457 application/problem+json with type,
 * title, status and detail (and errors[] for validation). One test per status
 * the routes produce.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const UNKNOWN_ID = '019a4a10-dead-7000-8000-00000000beef';

describe('400 Bad Request', () => {
  test('a body of the wrong shape lists each field error with its path', async () => {
    const editor = await t.as('EDITOR');
    const res = await editor.post('/v1/parties').send({ name: 7, kind: 'NOT_A_KIND' });
    const problem = expectFieldError(res, 'name');
    expect(problem.title).toBe('Bad Request');
    expect(problem.type).toMatch(/^(\/|https?:\/\/)\S+/);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['kind', 'name']);
  });

  test('malformed JSON is a 400 problem (without field errors)', async () => {
    const editor = await t.as('EDITOR');
    const res = await editor.post('/v1/parties').set('Content-Type', 'application/json').send('{"name": "x",');
    const problem = expectProblem(res, 400);
    expect(problem.type).toMatch(/malformed/);
  });

  test('an invalid query parameter is a 400 naming it', async () => {
    const reader = await t.as('READER');
    expectFieldError(await reader.get('/v1/claims?contested=maybe'), 'contested');
  });
});

describe('401 Unauthorized', () => {
  test('no key: 401 with WWW-Authenticate: Bearer', async () => {
    const res = await t.anonymous.get('/v1/claims');
    const problem = expectProblem(res, 401);
    expect(problem.title).toBe('Unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  test.each([
    ['an unknown key', 'Bearer cp_this-key-was-never-issued-000000000000'],
    ['a malformed Authorization header', 'Basic dXNlcjpwYXNz'],
    ['a Bearer header with no key', 'Bearer '],
  ])('%s: 401 with WWW-Authenticate', async (_what, header) => {
    const res = await t.http.get('/v1/claims').set('Authorization', header);
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  test('a revoked key: 401, even on a route anyone could otherwise read', async () => {
    const admin = await t.as('ADMIN');
    const issued = await admin.post('/v1/keys').send({ name: 'soon revoked', role: 'READER' });
    expect(issued.status).toBe(201);
    expect((await t.http.get('/v1/claims').set('Authorization', `Bearer ${issued.body.key}`)).status).toBe(200);
    expect((await admin.post(`/v1/keys/${issued.body.id}/revoke`)).status).toBe(200);
    const res = await t.http.get('/v1/claims').set('Authorization', `Bearer ${issued.body.key}`);
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });
});

describe('403 Forbidden', () => {
  test.each([
    ['READER', 'post', '/v1/parties'],
    ['EDITOR', 'get', '/v1/audit/events'],
    ['EDITOR', 'post', '/v1/keys'],
    ['REVIEWER', 'get', '/v1/audit/verify'],
  ] as const)('%s may not %s %s', async (role, method, path) => {
    const client = await t.as(role);
    const res = method === 'get' ? await client.get(path) : await client.post(path, { name: 'x', kind: 'STATE', role: 'ADMIN' });
    const problem = expectProblem(res, 403);
    expect(problem.title).toBe('Forbidden');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});

describe('404 Not Found', () => {
  test.each(['/v1/parties/', '/v1/claims/', '/v1/sources/'])('an unknown id under %s', async (prefix) => {
    const reader = await t.as('READER');
    const problem = expectProblem(await reader.get(`${prefix}${UNKNOWN_ID}`), 404);
    expect(problem.title).toBe('Not Found');
    expect(problem.detail).toContain(UNKNOWN_ID);
  });

  test('an unknown slug', async () => {
    const reader = await t.as('READER');
    expectProblem(await reader.get('/v1/parties/no-such-party-anywhere'), 404);
  });

  test.each([
    ['GET', '/v1/nothing-here'],
    ['GET', '/nothing'],
    ['POST', '/v1/claims/x/y/z'],
    ['PUT', '/v1/parties'],
  ])('an unknown route: %s %s', async (method, path) => {
    const res = await t.http[method.toLowerCase() as 'get' | 'post' | 'put'](path).set('Authorization', `Bearer ${ADMIN_KEY}`);
    const problem = expectProblem(res, 404);
    expect(problem.detail).toContain(path);
  });
});

describe('409 Conflict', () => {
  test('deleting a party that an assertion refers to', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    await makeClaim(t, { party: party.id });
    const problem = expectProblem(await editor.delete(`/v1/parties/${party.id}`), 409);
    expect(problem.title).toBe('Conflict');
    expect((await editor.get(`/v1/parties/${party.id}`)).status).toBe(200);
  });

  test('a slug that is already taken', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    expectProblem(await editor.post('/v1/parties').send({ name: 'Someone else', kind: 'STATE', slug: party.slug }), 409);
  });
});

describe('412 Precondition Failed and 428 Precondition Required', () => {
  test('a PATCH with a stale ETag is 412 and changes nothing', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    const first = await editor.get(`/v1/parties/${party.id}`);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await editor.patch(`/v1/parties/${party.id}`, { description: 'first edit' }, etag)).status).toBe(200);
    const problem = expectProblem(await editor.patch(`/v1/parties/${party.id}`, { description: 'second edit' }, etag), 412);
    expect(problem.title).toBe('Precondition Failed');
    expect((await editor.get(`/v1/parties/${party.id}`)).body.description).toBe('first edit');
  });

  test('an ETag this API never issued is 412', async () => {
    const editor = await t.as('EDITOR');
    const claim = await makeClaim(t);
    expectProblem(await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Reworded' }, '"something-else"'), 412);
  });

  test('a PATCH without If-Match is 428', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    const problem = expectProblem(await editor.patch(`/v1/parties/${party.id}`, { description: 'no precondition' }), 428);
    expect(problem.title).toBe('Precondition Required');
    const claim = await makeClaim(t);
    expectProblem(await editor.patch(`/v1/claims/${claim.id}`, { statement: 'no precondition' }), 428);
  });
});

describe('413, 415', () => {
  test('a body over the limit is 413', async () => {
    const editor = await t.as('EDITOR');
    const problem = expectProblem(await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'Big', text: 'x'.repeat(3 * 1024 * 1024) }), 413);
    expect(problem.title).toBe('Content Too Large');
  });

  test('a body that is not JSON is 415', async () => {
    const editor = await t.as('EDITOR');
    const problem = expectProblem(await editor.post('/v1/parties').set('Content-Type', 'text/plain').send('name=x'), 415);
    expect(problem.title).toBe('Unsupported Media Type');
  });
});

describe('422 Unprocessable Content', () => {
  test('a quote absent from its source text', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    const source = await makeSource(t, { text: 'The minister spoke about the weather.' });
    const res = await editor.post('/v1/claims').send({
      statement: 'Something never said',
      assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'words that are not there', quoteKind: 'DIRECT' },
    });
    const problem = expectProblem(res, 422);
    expect(problem.title).toBe('Unprocessable Content');
    expect(problem.errors).toEqual([expect.objectContaining({ path: expect.stringContaining('quote'), message: expect.any(String) })]);
  });

  test('a speaker who is not a PERSON', async () => {
    const editor = await t.as('EDITOR');
    const state = await makeParty(t);
    const claim = await makeClaim(t);
    const res = await editor.post(`/v1/claims/${claim.id}/assertions`).send({
      partyId: state.id, speakerId: state.id, sourceId: (await makeSource(t)).id, stance: 'DENIES', quote: 'no', quoteKind: 'INDIRECT',
    });
    expect(expectProblem(res, 422).errors).toEqual([expect.objectContaining({ path: 'speakerId' })]);
  });

  test('the same Idempotency-Key with a different body', async () => {
    const editor = await t.as('EDITOR');
    const key = `idem-${Date.now()}`;
    const first = await editor.post('/v1/parties').set('Idempotency-Key', key).send({ name: `Idem ${key}`, kind: 'STATE' });
    expect(first.status).toBe(201);
    const res = await editor.post('/v1/parties').set('Idempotency-Key', key).send({ name: `Other ${key}`, kind: 'STATE' });
    expectProblem(res, 422);
  });
});

describe('429 Too Many Requests', () => {
  test('a caller over the per-minute limit gets 429 with Retry-After', async () => {
    const limited = request(createApp({ db: t.db, config: testConfig({ rateLimitPerMinute: 3 }), logger: capturingLogger().logger }));
    const reader = await t.keyFor('READER');
    for (let i = 0; i < 3; i += 1) {
      expect((await limited.get('/v1/parties').set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    }
    const res = await limited.get('/v1/parties').set('Authorization', `Bearer ${reader}`);
    const problem = expectProblem(res, 429);
    expect(problem.title).toBe('Too Many Requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

/** A Prisma client stand-in whose every call rejects with `make()`. */
function failingPrisma(make: () => Error) {
  const fn: any = new Proxy(function unavailable() {}, {
    get: (_target, prop) => (prop === 'then' ? undefined : fn),
    apply: () => Promise.reject(make()),
  });
  return fn;
}

function appWith(prisma: unknown, logger: Logger, publicRead = false) {
  const db = { kind: 'postgres', prisma, sql: { query: async () => [], exec: async () => undefined }, close: async () => undefined } as unknown as Database;
  return request(createApp({ db, config: testConfig({ publicRead }), logger }));
}

function capturingLogger() {
  const errors: { msg: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = { error: (msg, fields) => errors.push({ msg, fields }), info: () => undefined, debug: () => undefined };
  return { logger, errors };
}

describe('503 Service Unavailable', () => {
  // The real outage (a dropped TCP connection) is in availability.test.ts;
  // here the database client fails the way pg does when nothing listens.
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  test.each(['/readyz', '/v1/claims'])('GET %s while the database refuses connections is 503 with Retry-After', async (path) => {
    const http = appWith(failingPrisma(refused), capturingLogger().logger);
    const res = await http.get(path).set('Authorization', `Bearer ${ADMIN_KEY}`);
    const problem = expectProblem(res, 503);
    expect(problem.title).toBe('Service Unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).not.toContain('ECONNREFUSED');
    expect(res.text).not.toContain('5432');
  });

  test('liveness does not depend on the database', async () => {
    const http = appWith(failingPrisma(refused), capturingLogger().logger);
    expect((await http.get('/healthz')).status).toBe(200);
  });
});

describe('500 Internal Server Error', () => {
  const SECRET = 'relation "secret_table_xyz" password=hunter2 at /work/main/src/db/client.ts:42';

  test.each([
    ['in the authentication step', false, '/v1/claims', true],
    ['in a route handler', true, '/v1/parties', false],
  ])('an unexpected error %s is a 500 that leaks nothing and carries the request id', async (_where, publicRead, path, withKey) => {
    const { logger, errors } = capturingLogger();
    const http = appWith(failingPrisma(() => new Error(SECRET)), logger, publicRead);
    let req = http.get(path).set('X-Request-Id', 'trace-500-abc');
    if (withKey) req = req.set('Authorization', `Bearer ${ADMIN_KEY}`);
    const res = await req;
    const problem = expectProblem(res, 500);
    expect(Object.keys(problem).sort()).toEqual(['detail', 'requestId', 'status', 'title', 'type']);
    expect(problem.requestId).toBe('trace-500-abc');
    expect(res.headers['x-request-id']).toBe('trace-500-abc');
    for (const leak of ['secret_table_xyz', 'hunter2', '/work/main', 'client.ts', 'Error:', '    at ']) {
      expect(res.text).not.toContain(leak);
    }
    // …but the logs have it, under the same request id.
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toMatchObject({ requestId: 'trace-500-abc' });
    expect(JSON.stringify(errors[0]!.fields?.error ?? {}) + String(errors[0]!.fields?.error)).toContain('secret_table_xyz');
  });

  test('a 500 without X-Request-Id carries the generated id, the same as the header', async () => {
    const http = appWith(failingPrisma(() => new TypeError('Cannot read properties of undefined')), capturingLogger().logger);
    const res = await http.get('/v1/claims').set('Authorization', `Bearer ${ADMIN_KEY}`);
    const problem = expectProblem(res, 500);
    expect(problem.requestId).toBe(res.headers['x-request-id']);
    expect(res.text).not.toContain('Cannot read properties');
  });
});

describe('X-Request-Id', () => {
  test('a sane id sent by the client is echoed', async () => {
    const res = await t.http.get('/healthz').set('X-Request-Id', 'client-id_1.2:3');
    expect(res.headers['x-request-id']).toBe('client-id_1.2:3');
  });

  test('without one, a fresh UUID is created for every request', async () => {
    const a = await t.http.get('/healthz');
    const b = await t.http.get('/healthz');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    expect(a.headers['x-request-id']).toMatch(uuid);
    expect(b.headers['x-request-id']).toMatch(uuid);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  test.each([
    ['too long', 'x'.repeat(129)],
    ['with spaces', 'has spaces in it'],
    ['with markup', '<script>alert(1)</script>'],
    ['with a quote', "id'; DROP TABLE audit_event; --"],
  ])('an id that is %s is replaced, not echoed', async (_what, id) => {
    const res = await t.http.get('/healthz').set('X-Request-Id', id);
    expect(res.headers['x-request-id']).not.toBe(id);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('error responses carry it too', async () => {
    const res = await t.anonymous.get('/v1/claims').set('X-Request-Id', 'req-401');
    expectProblem(res, 401);
    expect(res.headers['x-request-id']).toBe('req-401');
  });
});
