import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { ADMIN_KEY, startTestApp, type Client, type TestApp } from './helpers/app';
import { ensureAdminKey } from '../src/modules/keys/service';
import { auditSeq, errorPaths } from './helpers/problems';

/*
 * API keys (SPEC 1.7, 3.1, 3.2): shown once, stored only as a hash, working
 * with their role until revoked, the last ADMIN key protected, and the
 * ADMIN_API_KEY bootstrap idempotent.
 */

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('ADMIN');
});
afterAll(() => t.close());

let counter = 0;
const marker = () => `k${Date.now().toString(36)}x${(counter += 1)}`;

/** A client for a key this file issued itself. */
function withKey(key: string): Client {
  return {
    get: (path) => t.http.get(path).set('Authorization', `Bearer ${key}`),
    post: (path, body) => {
      const r = t.http.post(path).set('Authorization', `Bearer ${key}`);
      return body === undefined ? r : r.send(body as object);
    },
    patch: (path, body, ifMatch) => {
      const r = t.http.patch(path).set('Authorization', `Bearer ${key}`).send(body as object);
      return ifMatch ? r.set('If-Match', ifMatch) : r;
    },
    delete: (path) => t.http.delete(path).set('Authorization', `Bearer ${key}`),
  };
}

function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
}

function expect401(res: Response) {
  expectProblem(res, 401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
}


async function issue(role: string, name = `key ${marker()}`) {
  const res = await admin.post('/v1/keys').send({ name, role });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string; role: string; key: string };
}


/** Every page of a list, as the raw response texts and the items. */
async function walk(path: string): Promise<{ texts: string[]; items: Record<string, unknown>[] }> {
  const texts: string[] = [];
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await admin.get(`${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    texts.push(res.text);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { texts, items };
}

async function countRows(table: 'api_key' | 'actor'): Promise<number> {
  const rows = await t.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

describe('POST /v1/keys', () => {
  test('returns the key once: 201 { id, name, role, key } with a cp_ key of at least 128 random bits', async () => {
    const name = `Newsroom desk ${marker()}`;
    const before = await auditSeq(t);
    const res = await admin.post('/v1/keys').send({ name, role: 'EDITOR' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name, role: 'EDITOR' });
    expect(typeof res.body.id).toBe('string');
    expect(res.body.key).toMatch(/^cp_[A-Za-z0-9_-]+$/);
    // base64url carries 6 bits per character: 22 characters hold 128 bits.
    expect(res.body.key.length - 3).toBeGreaterThanOrEqual(22);

    const other = await issue('EDITOR');
    expect(other.key).not.toBe(res.body.key);

    const events = await admin.get(`/v1/audit/events?entityId=${res.body.id}`);
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0]).toMatchObject({ seq: before + 1, action: 'key.issue' });
  });

  test('never shows the key again: not in GET /v1/keys, not in any audit event', async () => {
    const issued = await issue('REVIEWER');
    const secret = issued.key.slice(10);

    const keys = await walk('/v1/keys');
    const listed = keys.items.find((k) => k.id === issued.id);
    expect(listed).toMatchObject({ id: issued.id, name: issued.name, role: 'REVIEWER', revokedAt: null });
    expect(listed).not.toHaveProperty('key');
    for (const text of keys.texts) {
      expect(text).not.toContain(issued.key);
      expect(text).not.toContain(secret);
    }

    const events = await walk('/v1/audit/events');
    expect(events.items.some((e) => e.entityId === issued.id && e.action === 'key.issue')).toBe(true);
    for (const text of events.texts) {
      expect(text).not.toContain(issued.key);
      expect(text).not.toContain(secret);
    }
    // Nor in the audit table itself, whatever the API shows of it.
    const raw = await t.db.sql.query('SELECT * FROM audit_event');
    expect(JSON.stringify(raw)).not.toContain(secret);
  });

  test.each([
    ['an unknown role', { name: 'x', role: 'SUPERUSER' }, 'role'],
    ['a missing name', { role: 'READER' }, 'name'],
    ['a blank name', { name: '  ', role: 'READER' }, 'name'],
    ['an unknown field', { name: 'x', role: 'READER', key: 'cp_chosen-by-the-client' }, '(root)'],
  ])('answers 400 for %s and issues nothing', async (_what, body, path) => {
    const before = await countRows('api_key');
    const res = await admin.post('/v1/keys').send(body);
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain(path);
    expect(await countRows('api_key')).toBe(before);
  });
});

describe('an issued key', () => {
  test('works with its role and no more: a READER reads but cannot write', async () => {
    const reader = withKey((await issue('READER')).key);
    expect((await reader.get('/v1/parties')).status).toBe(200);
    expectProblem(await reader.post('/v1/parties', { name: `Nope ${marker()}`, kind: 'STATE' }), 403);
    expectProblem(await reader.get('/v1/keys'), 403);
  });

  test('works with its role: an EDITOR writes parties, as its own actor, but cannot manage keys', async () => {
    const issued = await issue('EDITOR');
    const editor = withKey(issued.key);
    const created = await editor.post('/v1/parties', { name: `Made by key ${marker()}`, kind: 'ORGANIZATION' });
    expect(created.status).toBe(201);

    const listed = (await walk('/v1/keys')).items.find((k) => k.id === issued.id)!;
    const event = await admin.get(`/v1/audit/events?entityId=${created.body.id}&action=party.create`);
    expect(event.body.data).toHaveLength(1);
    expect(event.body.data[0].actorId).toBe(listed.actorId);

    expectProblem(await editor.post('/v1/keys', { name: 'escalate', role: 'ADMIN' }), 403);
    expectProblem(await editor.get('/v1/audit/events'), 403);
  });

  test('an issued ADMIN key can issue keys and read the audit log', async () => {
    const root = withKey((await issue('ADMIN')).key);
    expect((await root.get('/v1/audit/events')).status).toBe(200);
    const res = await root.post('/v1/keys', { name: `by second admin ${marker()}`, role: 'READER' });
    expect(res.status).toBe(201);
  });
});

describe('POST /v1/keys/{id}/revoke', () => {
  test('revokes a key: 200 with revokedAt, one key.revoke event, and the key then gets 401', async () => {
    const issued = await issue('EDITOR');
    const key = withKey(issued.key);
    expect((await key.get('/v1/parties')).status).toBe(200);

    const before = await auditSeq(t);
    const res = await admin.post(`/v1/keys/${issued.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: issued.id, role: 'EDITOR' });
    expect(typeof res.body.revokedAt).toBe('string');
    expect(res.body).not.toHaveProperty('key');
    expect(await auditSeq(t)).toBe(before + 1);
    const events = await admin.get(`/v1/audit/events?entityId=${issued.id}&action=key.revoke`);
    expect(events.body.data).toHaveLength(1);

    expect401(await key.get('/v1/parties'));
    expect401(await key.post('/v1/parties', { name: `After revoke ${marker()}`, kind: 'STATE' }));

    const listed = (await walk('/v1/keys')).items.find((k) => k.id === issued.id)!;
    expect(listed.revokedAt).toBe(res.body.revokedAt);
  });

  test('a revoked key is refused even on routes that need no key', async () => {
    const public_ = await startTestApp({ publicRead: true });
    try {
      const res = await public_.http.post('/v1/keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name: 'soon revoked', role: 'READER' });
      expect(res.status).toBe(201);
      await public_.http.post(`/v1/keys/${res.body.id}/revoke`).set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
      expect((await public_.http.get('/v1/parties')).status).toBe(200);
      expect401(await public_.http.get('/v1/parties').set('Authorization', `Bearer ${res.body.key}`));
    } finally {
      await public_.close();
    }
  });

  test('answers 404 for an unknown key and 400 for a malformed id', async () => {
    expectProblem(await admin.post('/v1/keys/0190a0a0-0000-7000-8000-000000000000/revoke'), 404);
    const bad = await admin.post('/v1/keys/not-a-uuid/revoke');
    expectProblem(bad, 400);
    expect(errorPaths(bad)).toContain('id');
  });

  test('revokes an ADMIN key while another ADMIN key is active, but refuses (409) to revoke the last one', async () => {
    const spare = await issue('ADMIN');
    expect((await admin.post(`/v1/keys/${spare.id}/revoke`)).status).toBe(200);
    expect401(await withKey(spare.key).get('/v1/keys'));

    // Leave only the bootstrap key active.
    const keys = (await walk('/v1/keys')).items;
    const bootstrap = keys.find((k) => k.name === 'Administrator (ADMIN_API_KEY)')!;
    expect(bootstrap).toBeDefined();
    for (const k of keys) {
      if (k.role === 'ADMIN' && k.revokedAt === null && k.id !== bootstrap.id) {
        expect((await admin.post(`/v1/keys/${k.id as string}/revoke`)).status).toBe(200);
      }
    }

    const before = await auditSeq(t);
    const res = await admin.post(`/v1/keys/${bootstrap.id as string}/revoke`);
    expectProblem(res, 409);
    expect(await auditSeq(t)).toBe(before);
    // Still active and still working.
    expect((await admin.get('/v1/keys')).status).toBe(200);
    const after = (await walk('/v1/keys')).items.find((k) => k.id === bootstrap.id)!;
    expect(after.revokedAt).toBeNull();
  });
});

describe('ADMIN_API_KEY bootstrap (ensureAdminKey)', () => {
  test('is idempotent: called twice it makes one ADMIN key, which works', async () => {
    const key = `bootstrap-${randomBytes(16).toString('hex')}`;
    const keysBefore = await countRows('api_key');
    const actorsBefore = await countRows('actor');
    const auditBefore = await auditSeq(t);

    expect(await ensureAdminKey(t.ctx, key)).toBe('created');
    expect(await ensureAdminKey(t.ctx, key)).toBe('present');

    expect(await countRows('api_key')).toBe(keysBefore + 1);
    expect(await countRows('actor')).toBe(actorsBefore + 1);
    expect(await auditSeq(t)).toBe(auditBefore + 2); // key.issue and actor.create

    const res = await withKey(key).get('/v1/audit/events');
    expect(res.status).toBe(200);
  });

  test('leaves the key the test app was started with as it is', async () => {
    const keysBefore = await countRows('api_key');
    expect(await ensureAdminKey(t.ctx, ADMIN_KEY)).toBe('present');
    expect(await countRows('api_key')).toBe(keysBefore);
  });

  test('two instances starting at once still make exactly one key, and neither fails', async () => {
    const key = `bootstrap-${randomBytes(16).toString('hex')}`;
    const keysBefore = await countRows('api_key');
    const results = await Promise.allSettled([ensureAdminKey(t.ctx, key), ensureAdminKey(t.ctx, key)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await countRows('api_key')).toBe(keysBefore + 1);
    expect((await withKey(key).get('/v1/keys')).status).toBe(200);
  });
});

describe('key storage', () => {
  test('stores keys only as a hash: no column of api_key or actor holds the plain key', async () => {
    const issued = await issue('READER');
    const secret = issued.key.slice(10);
    const rows = await t.db.sql.query<Record<string, unknown>>('SELECT * FROM api_key');
    expect(rows.length).toBeGreaterThan(0);
    const mine = rows.find((r) => r.id === issued.id);
    expect(mine).toBeDefined();
    for (const row of rows) {
      for (const value of Object.values(row)) {
        const s = value instanceof Date ? value.toISOString() : String(value);
        expect(s).not.toContain(issued.key);
        expect(s).not.toContain(secret);
        expect(s).not.toContain(ADMIN_KEY);
      }
    }
    const actors = await t.db.sql.query('SELECT * FROM actor');
    expect(JSON.stringify(actors)).not.toContain(secret);
    // The hash column is what authenticates: a different hash means no access.
    expect(String(mine!.key_hash)).toMatch(/^[0-9a-f]{64}$/);
  });
});
