import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from './helpers/app';
import { makeParty } from './helpers/factories';
import { holdRowLock } from './helpers/pg-locks';
import { keyLockId } from '../src/http/idempotency';

/*
 * Idempotency-Key on every POST (SPEC §3.1): a replay returns the stored
 * response byte for byte without a second write; another body under the same
 * key is 422; a repeat while the first is in flight is 409; keys belong to
 * the actor who used them; and ten parallel requests with one key write once.
 */

let t: TestApp;
let editorKey: string;

const post = (path: string, body: unknown, key: string | undefined, apiKey = editorKey) => {
  const req = t.http.post(path).set('Authorization', `Bearer ${apiKey}`);
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body as object);
};

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const rows = await t.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return rows[0]!.n;
}

async function auditCount(): Promise<number> {
  return count('audit_event');
}

beforeAll(async () => {
  t = await startTestApp();
  editorKey = await t.keyFor('EDITOR');
});
afterAll(() => t.close());

describe('Idempotency-Key', () => {
  it('replays the stored response byte for byte (status, body, Location, ETag) without a second write', async () => {
    const key = randomUUID();
    const body = { name: `Replay ${key}`, kind: 'STATE' };
    const first = await post('/v1/parties', body, key);
    expect(first.status).toBe(201);
    const events = await auditCount();
    const again = await post('/v1/parties', body, key);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await auditCount()).toBe(events);
    expect(await count('party', 'name = $1', [body.name])).toBe(1);
  });

  it('treats the same JSON with its keys in another order as the same request', async () => {
    const key = randomUUID();
    const first = await post('/v1/parties', { name: `Order ${key}`, kind: 'STATE' }, key);
    const again = await post('/v1/parties', { kind: 'STATE', name: `Order ${key}` }, key);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    const key = randomUUID();
    expect((await post('/v1/parties', { name: `First ${key}`, kind: 'STATE' }, key)).status).toBe(201);
    const events = await auditCount();
    const other = await post('/v1/parties', { name: `Second ${key}`, kind: 'STATE' }, key);
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    expect(await auditCount()).toBe(events);
  });

  it('refuses the same key on another endpoint (422)', async () => {
    const key = randomUUID();
    expect((await post('/v1/parties', { name: `Path ${key}`, kind: 'STATE' }, key)).status).toBe(201);
    expect((await post('/v1/sources', { kind: 'ARTICLE', title: 'x' }, key)).status).toBe(422);
  });

  // The first request holds its key's lock while it runs; here the test holds it from outside (a server is needed for that).
  (process.env.DATABASE_URL ? it : it.skip)('answers 409 while the first request with the key is still in flight', async () => {
    const key = randomUUID();
    const body = { name: `Flight ${key}`, kind: 'STATE' };
    const actor = await t.db.sql.query<{ actor_id: string }>('SELECT actor_id FROM api_key WHERE prefix = $1', [editorKey.slice(0, 10)]);
    const held = await holdRowLock(t.url!, 'SELECT pg_advisory_xact_lock($1::bigint)', [keyLockId(actor[0]!.actor_id, createHash('sha256').update(key).digest('hex')).toString()]);
    try {
      const res = await post('/v1/parties', body, key);
      expect(res.status).toBe(409);
      expect(res.body.type).toBe('/problems/idempotency-in-flight');
      expect(await count('party', 'name = $1', [body.name])).toBe(0);
    } finally {
      await held.release();
    }
    expect((await post('/v1/parties', body, key)).status).toBe(201);
  });

  it('takes over an unfinished record left by an older version, and an expired record', async () => {
    const actor = (await t.db.sql.query<{ actor_id: string }>('SELECT actor_id FROM api_key WHERE prefix = $1', [editorKey.slice(0, 10)]))[0]!.actor_id;
    for (const [label, createdAt, expiresAt] of [
      ['abandoned', "now() - interval '10 minutes'", "now() + interval '1 day'"],
      ['expired', "now() - interval '2 days'", "now() - interval '1 day'"],
    ] as const) {
      const key = `${label}-${randomUUID()}`;
      await t.db.sql.query(
        `INSERT INTO idempotency_record (actor_id, key_hash, fingerprint, created_at, expires_at) VALUES ($1, $2, $3, ${createdAt}, ${expiresAt})`,
        [actor, createHash('sha256').update(key).digest('hex'), 'f'.repeat(64)],
      );
      const res = await post('/v1/parties', { name: `Takeover ${key}`, kind: 'STATE' }, key);
      expect(res.status).toBe(201);
      expect((await post('/v1/parties', { name: `Takeover ${key}`, kind: 'STATE' }, key)).text).toBe(res.text);
    }
  });

  it('scopes keys to the actor: another actor may use the same key for its own request', async () => {
    const key = randomUUID();
    expect((await post('/v1/parties', { name: `Mine ${key}`, kind: 'STATE' }, key)).status).toBe(201);
    const other = await post('/v1/parties', { name: `Theirs ${key}`, kind: 'STATE' }, key, await t.keyFor('ADMIN'));
    expect(other.status).toBe(201);
    expect(other.body.name).toBe(`Theirs ${key}`);
  });

  it('releases the key when the request fails, so a corrected retry can use it', async () => {
    const key = randomUUID();
    const name = `Fails ${key}`;
    const party = await makeParty(t, { name });
    const dup = await post('/v1/parties', { name, kind: 'STATE', slug: party.slug }, key);
    expect(dup.status).toBe(409);
    expect(await count('idempotency_record', 'key_hash = $1', [createHash('sha256').update(key).digest('hex')])).toBe(0);
    const retry = await post('/v1/parties', { name, kind: 'STATE', slug: `${party.slug}-2` }, key);
    expect(retry.status).toBe(201);
  });

  it('does not claim a key for a request that fails validation', async () => {
    const key = randomUUID();
    expect((await post('/v1/parties', { kind: 'STATE' }, key)).status).toBe(400);
    expect((await post('/v1/parties', { name: `Valid ${key}`, kind: 'STATE' }, key)).status).toBe(201);
  });

  it('refuses a malformed key (400)', async () => {
    expect((await post('/v1/parties', { name: 'x', kind: 'STATE' }, 'has spaces in it')).status).toBe(400);
    expect((await post('/v1/parties', { name: 'x', kind: 'STATE' }, 'k'.repeat(256))).status).toBe(400);
  });

  it('creates exactly one row from ten parallel requests with one key; the others replay it or answer 409', async () => {
    const key = randomUUID();
    const body = { name: `Parallel ${key}`, kind: 'ORGANIZATION' };
    const events = await auditCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => post('/v1/parties', body, key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    expect(await count('party', 'name = $1', [body.name])).toBe(1);
    expect(await auditCount()).toBe(events + 1);
    // Once settled, every retry replays the one response.
    const later = await post('/v1/parties', body, key);
    expect(later.status).toBe(201);
    expect(later.text).toBe(created[0]!.text);
  });

  it('creates one claim (with its assertion) from ten parallel POST /v1/claims with one key', async () => {
    const party = await makeParty(t);
    const source = (await post('/v1/sources', { kind: 'ARTICLE', title: 'Parallel source', text: 'He said the words here.' }, undefined)).body;
    const key = randomUUID();
    const statement = `Parallel claim ${key}`;
    const body = { statement, assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'the words', quoteKind: 'INDIRECT' } };
    const results = await Promise.all(Array.from({ length: 10 }, () => post('/v1/claims', body, key)));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(await count('claim', 'statement = $1', [statement])).toBe(1);
    expect(await count('assertion', 'source_id = $1', [source.id])).toBe(1);
  });

  it('covers every POST route, e.g. review transitions and key issue (whose secret is stored encrypted)', async () => {
    const key = randomUUID();
    const admin = await t.keyFor('ADMIN');
    const first = await post('/v1/keys', { name: 'Idempotent key', role: 'READER' }, key, admin);
    expect(first.status).toBe(201);
    const again = await post('/v1/keys', { name: 'Idempotent key', role: 'READER' }, key, admin);
    expect(again.text).toBe(first.text);
    expect(again.headers['cache-control']).toBe('no-store');
    expect(await count('actor', 'name = $1', ['Idempotent key'])).toBe(1);
    const stored = await t.db.sql.query<{ body: Uint8Array }>('SELECT body FROM idempotency_record WHERE body IS NOT NULL');
    for (const row of stored) expect(Buffer.from(row.body).toString('latin1')).not.toContain(first.body.key);
  });

  it('requests without the header are not deduplicated', async () => {
    const body = { kind: 'ARTICLE', title: `No key ${randomUUID()}` };
    expect((await post('/v1/sources', body, undefined)).status).toBe(201);
    expect((await post('/v1/sources', body, undefined)).status).toBe(201);
    expect(await count('source', 'title = $1', [body.title])).toBe(2);
  });
});

describe('Idempotency-Key on the ClaimReview import (its own body parser)', () => {
  it('replays the first import report instead of answering "duplicate" the second time', async () => {
    const reviewerKey = await t.keyFor('REVIEWER');
    const doc = readFileSync(path.resolve(__dirname, '../fixtures/claimreview/single.jsonld'), 'utf8');
    const send = () =>
      t.http
        .post('/v1/imports/claimreview')
        .set('Authorization', `Bearer ${reviewerKey}`)
        .set('Content-Type', 'application/ld+json')
        .set('Idempotency-Key', 'import-once')
        .send(doc);
    const first = await send();
    expect(first.status).toBeLessThan(300);
    const events = await auditCount();
    const again = await send();
    expect(again.status).toBe(first.status);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await auditCount()).toBe(events);
  });
});
