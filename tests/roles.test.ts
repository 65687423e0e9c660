import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { allRoutes } from '../src/app';
import type { Role } from '../src/generated/prisma/enums';
import { PERMISSIONS, type Permission } from '../src/http/permissions';
import type { RouteDef } from '../src/http/route';
import { startTestApp, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makeSource } from './helpers/factories';

/*
 * Authorisation (SPEC 1.7, 3.1), driven by the route table itself so that a
 * new route cannot slip through untested: every protected route refuses a
 * missing or bad key (401) and every role below the one it needs (403),
 * before validation or lookup and without writing anything.
 */

const ROLES: Role[] = ['READER', 'EDITOR', 'REVIEWER', 'ADMIN'];
const rank = (r: Role) => ROLES.indexOf(r);

type Protected = RouteDef & { access: { permission: Permission; publicRead?: true } };
const isProtected = (r: RouteDef): r is Protected => !('anonymous' in r.access);
const requiredRole = (r: Protected): Role => PERMISSIONS[r.access.permission];
const isPublicRead = (r: Protected) => 'publicRead' in r.access && r.access.publicRead === true;
const label = (r: RouteDef) => `${r.method.toUpperCase()} ${r.path}`;

const protectedRoutes = allRoutes.filter(isProtected);
const writeRoutes = protectedRoutes.filter((r) => r.method !== 'get');
const readRoutes = protectedRoutes.filter((r) => r.method === 'get');
const rolesBelow = (r: Protected) => ROLES.filter((role) => rank(role) < rank(requiredRole(r)));

/** Every `:param` filled with something that looks right but names nothing. */
function pathFor(route: RouteDef): string {
  return route.path.replace(/:(\w+)/g, () => (route.path.startsWith('/v1/parties/') ? `no-such-party-${randomBytes(4).toString('hex')}` : randomUUID()));
}

function call(app: TestApp, route: RouteDef, path: string, authorization?: string) {
  let req = app.http[route.method](path);
  if (authorization !== undefined) req = req.set('Authorization', authorization);
  if (route.method !== 'get') req = req.send({});
  return req;
}

function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.type).toBe('string');
  expect(res.body.type.length).toBeGreaterThan(0);
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
}

function expect401(res: Response) {
  expectProblem(res, 401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
}

let t: TestApp;
const keys = new Map<Role, string>();

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ROLES) keys.set(role, await t.keyFor(role));
});
afterAll(() => t.close());

const bearer = (role: Role) => `Bearer ${keys.get(role)!}`;

/** What a write would leave behind: the audit head and the row counts. */
async function snapshot(app: TestApp) {
  const head = await app.http.get('/v1/audit/head').set('Authorization', `Bearer ${await app.keyFor('ADMIN')}`);
  expect(head.status).toBe(200);
  const counts = await app.db.sql.query(
    `SELECT (SELECT count(*) FROM party)::int AS party, (SELECT count(*) FROM source)::int AS source,
            (SELECT count(*) FROM claim)::int AS claim, (SELECT count(*) FROM assertion)::int AS assertion,
            (SELECT count(*) FROM affiliation)::int AS affiliation, (SELECT count(*) FROM claim_relation)::int AS relation,
            (SELECT count(*) FROM api_key)::int AS api_key, (SELECT count(*) FROM actor)::int AS actor,
            (SELECT count(*) FROM api_key WHERE revoked_at IS NOT NULL)::int AS revoked`,
  );
  return { seq: head.body.seq as number, hash: head.body.hash as string | null, counts: counts[0] };
}

describe('the route table', () => {
  test('lists the protected routes this file checks, each with a known permission', () => {
    const labels = protectedRoutes.map(label);
    for (const expected of [
      'POST /v1/parties',
      'PATCH /v1/parties/:id',
      'DELETE /v1/parties/:id',
      'POST /v1/parties/:id/affiliations',
      'POST /v1/sources',
      'DELETE /v1/sources/:id',
      'POST /v1/claims',
      'POST /v1/keys',
      'POST /v1/keys/:id/revoke',
      'GET /v1/keys',
      'GET /v1/audit/events',
      'GET /v1/parties',
    ]) {
      expect(labels).toContain(expected);
    }
    for (const r of protectedRoutes) expect(ROLES).toContain(requiredRole(r));
    // Only what lies outside /v1 (health checks, API description) is open to anyone.
    for (const r of allRoutes.filter((r) => !isProtected(r))) expect(r.path).not.toMatch(/^\/v1\//);
  });
});

describe.each(writeRoutes.map((r) => [label(r), r] as const))('%s', (_label, route) => {
  test(`refuses a missing or bad key (401) and roles below ${requiredRole(route)} (403), writing nothing`, async () => {
    const before = await snapshot(t);

    expect401(await call(t, route, pathFor(route)));
    expect401(await call(t, route, pathFor(route), `Bearer cp_${randomBytes(32).toString('base64url')}`));
    expect401(await call(t, route, pathFor(route), `Basic ${Buffer.from('admin:admin').toString('base64')}`));
    expect401(await call(t, route, pathFor(route), 'Bearer'));

    for (const role of rolesBelow(route)) {
      const res = await call(t, route, pathFor(route), bearer(role));
      expectProblem(res, 403);
    }

    expect(await snapshot(t)).toEqual(before);
  });

  test(`lets ${requiredRole(route)} and above past authorisation`, async () => {
    const before = await snapshot(t);
    for (const role of ROLES.filter((r) => rank(r) >= rank(requiredRole(route)))) {
      const res = await call(t, route, pathFor(route), bearer(role));
      // The empty body or the unknown id is what fails now, not the key or the role.
      expect({ role, status: res.status, passed: [400, 404, 409, 422].includes(res.status) }).toMatchObject({ role, passed: true });
    }
    expect(await snapshot(t)).toEqual(before);
  });
});

describe.each(readRoutes.map((r) => [label(r), r] as const))('%s', (_label, route) => {
  test(`refuses a missing or bad key (401) and roles below ${requiredRole(route)} (403) when PUBLIC_READ is off`, async () => {
    expect401(await call(t, route, pathFor(route)));
    expect401(await call(t, route, pathFor(route), `Bearer cp_${randomBytes(32).toString('base64url')}`));
    for (const role of rolesBelow(route)) expectProblem(await call(t, route, pathFor(route), bearer(role)), 403);
  });
});

describe('the allowed side of each boundary', () => {
  test('an EDITOR creates a party and a READER reads it', async () => {
    const created = await t.http.post('/v1/parties').set('Authorization', bearer('EDITOR')).send({ name: 'Israel', kind: 'STATE' });
    expect(created.status).toBe(201);
    const read = await t.http.get(`/v1/parties/${created.body.id}`).set('Authorization', bearer('READER'));
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Israel');
    expect((await t.http.get('/v1/parties').set('Authorization', bearer('READER'))).status).toBe(200);
  });

  test('a REVIEWER does what an EDITOR does: writes parties, sources and claims', async () => {
    const as = (req: ReturnType<typeof t.http.post>) => req.set('Authorization', bearer('REVIEWER'));
    const party = await as(t.http.post('/v1/parties')).send({ name: 'Pakistan', kind: 'STATE' });
    expect(party.status).toBe(201);
    const patched = await t.http
      .patch(`/v1/parties/${party.body.id}`)
      .set('Authorization', bearer('REVIEWER'))
      .set('If-Match', party.headers.etag as string)
      .send({ aliases: ['Islamic Republic of Pakistan'] });
    expect(patched.status).toBe(200);
    const source = await as(t.http.post('/v1/sources')).send({ kind: 'ARTICLE', title: 'Dar in Istanbul', text: 'Dar said a Palestinian state is the only way.' });
    expect(source.status).toBe(201);
    const claim = await as(t.http.post('/v1/claims')).send({
      statement: 'A Palestinian state is the only way to peace',
      assertion: { partyId: party.body.id, sourceId: source.body.id, stance: 'AFFIRMS', quote: 'a Palestinian state is the only way', quoteKind: 'INDIRECT' },
    });
    expect(claim.status).toBe(201);
  });

  test('an ADMIN reads the audit log and manages keys, and can also write as an EDITOR', async () => {
    const admin = bearer('ADMIN');
    const events = await t.http.get('/v1/audit/events').set('Authorization', admin);
    expect(events.status).toBe(200);
    expect(events.body.data.length).toBeGreaterThan(0);
    expect((await t.http.get('/v1/audit/verify').set('Authorization', admin)).body.ok).toBe(true);
    expect((await t.http.get('/v1/keys').set('Authorization', admin)).status).toBe(200);
    expect((await t.http.post('/v1/parties').set('Authorization', admin).send({ name: 'Hamas', kind: 'ARMED_GROUP' })).status).toBe(201);
  });

  test('a role below ADMIN cannot read the audit log even with valid query parameters', async () => {
    for (const role of ['READER', 'EDITOR', 'REVIEWER'] as const) {
      expectProblem(await t.http.get('/v1/audit/events?limit=1').set('Authorization', bearer(role)), 403);
    }
  });
});

describe('with PUBLIC_READ=true', () => {
  let pub: TestApp;
  let ids: { party: string; source: string; claim: string };

  beforeAll(async () => {
    pub = await startTestApp({ publicRead: true });
    await pub.keyFor('READER');
    const party = await makeParty(pub, { name: 'Türkiye' });
    const source = await makeSource(pub, { text: 'Fidan said Israel is violating the ceasefire.' });
    const claim = await makeClaim(pub, { party: party.id, source: source.id, quote: 'Israel is violating the ceasefire' });
    ids = { party: party.slug, source: source.id, claim: claim.id };
  });
  afterAll(() => pub.close());

  function realPath(route: RouteDef): string {
    const id = route.path.startsWith('/v1/parties') ? ids.party : route.path.startsWith('/v1/sources') ? ids.source : ids.claim;
    return route.path.replace(/:(\w+)/g, id);
  }

  test('every GET of parties, sources and claims is a public read, and public reads are only GETs', () => {
    const publicReads = protectedRoutes.filter(isPublicRead);
    expect(publicReads.length).toBeGreaterThan(0);
    for (const r of publicReads) expect(r.method).toBe('get');
    // A claim's history is the audit log's (it holds drafts and actors): ADMIN, like the rest of the log.
    for (const r of readRoutes.filter((r) => /^\/v1\/(parties|sources|claims)(\/|$)/.test(r.path) && !r.path.endsWith('/history'))) {
      expect({ route: label(r), public: isPublicRead(r) }).toEqual({ route: label(r), public: true });
    }
  });

  test.each(readRoutes.filter(isPublicRead).map((r) => [label(r), r] as const))('%s works without a key', async (_label, route) => {
    const res = await call(pub, route, realPath(route));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/([a-z.+-]+\+)?json/);
  });

  test('the single GETs without a key show the data the writers stored', async () => {
    const party = await pub.http.get(`/v1/parties/${ids.party}`);
    expect(party.body.name).toBe('Türkiye');
    const claim = await pub.http.get(`/v1/claims/${ids.claim}`);
    expect(claim.body.positions.affirms[0].party.slug).toBe(ids.party);
  });

  test.each(readRoutes.filter((r) => !isPublicRead(r)).map((r) => [label(r), r] as const))(
    '%s still needs a key of its role',
    async (_label, route) => {
      if (/^\/v1\/(audit|keys)(\/|$)/.test(route.path)) expect(requiredRole(route)).toBe('ADMIN');
      expect401(await call(pub, route, pathFor(route)));
      for (const role of rolesBelow(route)) {
        expectProblem(await call(pub, route, pathFor(route), `Bearer ${await pub.keyFor(role)}`), 403);
      }
      const allowed = await call(pub, route, pathFor(route), `Bearer ${await pub.keyFor(requiredRole(route))}`);
      expect([401, 403]).not.toContain(allowed.status);
    },
  );

  test('the audit log and the keys stay ADMIN-only', () => {
    const adminReads = readRoutes.filter((r) => /^\/v1\/(audit|keys)(\/|$)/.test(r.path) || r.path.endsWith('/history'));
    expect(adminReads.map(label)).toEqual(
      expect.arrayContaining(['GET /v1/keys', 'GET /v1/audit/events', 'GET /v1/audit/verify', 'GET /v1/audit/head', 'GET /v1/audit/checkpoint', 'GET /v1/claims/:id/history']),
    );
    for (const r of adminReads) {
      expect(isPublicRead(r)).toBe(false);
      expect(requiredRole(r)).toBe('ADMIN');
    }
  });

  test('every write still needs a key, and writes nothing without one', async () => {
    const before = await snapshot(pub);
    for (const route of writeRoutes) {
      const res = await call(pub, route, pathFor(route));
      expect({ route: label(route), status: res.status }).toEqual({ route: label(route), status: 401 });
    }
    expect(await snapshot(pub)).toEqual(before);
  });

  test('a bad key is still refused on a public read', async () => {
    expect401(await pub.http.get('/v1/parties').set('Authorization', `Bearer cp_${randomBytes(32).toString('base64url')}`));
  });
});
