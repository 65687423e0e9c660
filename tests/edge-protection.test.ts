import net from 'node:net';
import request from 'supertest';
import { createApp } from '../src/app';
import { connectPostgres, type Database } from '../src/db/client';
import { postgresLimits, redisLimits, type LimitStore } from '../src/http/rate-limit';
import { createLogger } from '../src/shared/logger';
import { startTestApp, testConfig, type TestApp } from './helpers/app';
import { expectProblem } from './helpers/problems';

/*
 * What guards the door, in the order a request meets it: security headers on
 * every answer, a per-address limit before authentication, authentication
 * before any body is read, a per-key limit after it, and keyed answers that
 * no cache keeps (issue 9, smaller holes; issue 14, shared limits).
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const logger = createLogger('silent');
const onPostgres = () => t.db.kind === 'postgres';

/** Whether something listens on 127.0.0.1:`port`. */
const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('close', () => resolve(false));
  });

let stores = 0;
/** An app whose counts start from nothing: its own prefix in the shared store. */
function limitedApp(db: Database, perAddress: number, perCaller: number, limits?: LimitStore) {
  stores += 1;
  limits ??= db.pool ? postgresLimits(db.pool, `test-${stores}`) : undefined;
  return request(createApp({ db, config: testConfig({ addressRateLimitPerMinute: perAddress, rateLimitPerMinute: perCaller }), logger, limits }));
}

describe('rate limits', () => {
  test('unknown keys are limited by address before authentication', async () => {
    const http = limitedApp(t.db, 3, 1000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await http.get('/v1/claims').set('Authorization', `Bearer guess-${i}-000000000000000000000`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  test('/readyz counts against the address limit; /healthz does not', async () => {
    const http = limitedApp(t.db, 2, 1000);
    expect((await http.get('/readyz')).status).toBe(200);
    expect((await http.get('/readyz')).status).toBe(200);
    const res = await http.get('/readyz');
    expectProblem(res, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['ratelimit-limit']).toBe('2');
    expect((await http.get('/healthz')).status).toBe(200);
  });

  test('each key has its own limit after authentication', async () => {
    const http = limitedApp(t.db, 1000, 2);
    const [reader, editor] = [await t.keyFor('READER'), await t.keyFor('EDITOR')];
    const get = (key: string) => http.get('/v1/parties').set('Authorization', `Bearer ${key}`);
    expect([(await get(reader)).status, (await get(reader)).status, (await get(reader)).status]).toEqual([200, 200, 429]);
    expect((await get(editor)).status).toBe(200);
  });

  test('two instances on one database share the limit', async () => {
    if (!onPostgres()) return console.warn('skipped: limits shared between instances need PostgreSQL (DATABASE_URL)');
    // Two separate pools, as two processes would have.
    const other = connectPostgres({ url: t.url!, poolSize: 2 });
    try {
      const a = limitedApp(t.db, 1000, 4, postgresLimits(t.db.pool!, 'shared'));
      const b = limitedApp(other, 1000, 4, postgresLimits(other.pool!, 'shared'));
      const key = await t.keyFor('REVIEWER');
      const statuses: number[] = [];
      for (const http of [a, b, a, b, a, b]) statuses.push((await http.get('/v1/me').set('Authorization', `Bearer ${key}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await other.close();
    }
  });

  test('with REDIS_URL, instances share the limit through Redis', async () => {
    // REDIS_URL, or the machine's own Redis (CI's machines run one on 6379); the counts go under a prefix of this run's.
    const url = process.env.REDIS_URL ?? ((await answers(6379)) ? 'redis://127.0.0.1:6379' : undefined);
    if (!url) return console.warn('skipped: no Redis (set REDIS_URL) to test the Redis store');
    const prefix = `cp-test-${process.pid}-${Date.now()}`;
    const [s1, s2] = [redisLimits(url, prefix), redisLimits(url, prefix)];
    try {
      await Promise.all([s1.ready(), s2.ready()]);
      const [a, b] = [limitedApp(t.db, 3, 1000, s1), limitedApp(t.db, 3, 1000, s2)];
      const statuses: number[] = [];
      for (const http of [a, b, a, b]) statuses.push((await http.get('/readyz')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await Promise.all([s1.close(), s2.close()]);
    }
  });
});

describe('authentication before the body', () => {
  test('an anonymous POST is refused before its malformed JSON is read', async () => {
    const res = await t.http.post('/v1/parties').set('Content-Type', 'application/json').send('{"name": ');
    expect(expectProblem(res, 401).detail).toMatch(/needs an API key/);
  });

  test('an anonymous POST of more than 2 MB is 401, not 413', async () => {
    const res = await t.http.post('/v1/claims').set('Content-Type', 'application/json').send(`{"statement": "${'x'.repeat(3 * 1024 * 1024)}"}`);
    expectProblem(res, 401);
  });

  test('a READER posting an import is 403 before its 10 MB body is read', async () => {
    const reader = await t.as('READER');
    const res = await reader.post('/v1/imports/claimreview').set('Content-Type', 'text/html').send(`<html>${'<script'.repeat(100_000)}`);
    expectProblem(res, 403);
  });
});

describe('headers', () => {
  test.each(['/v1/claims', '/healthz', '/openapi.json', '/no-such-route'])('%s carries the security headers', async (path) => {
    const res = await t.http.get(path);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  test('the dashboard and /docs keep policies that let their pages run', async () => {
    const dashboard = await t.http.get('/');
    expect(dashboard.headers['content-security-policy']).toContain("script-src 'self'");
    expect(dashboard.headers['x-frame-options']).toBe('DENY');
    const docs = await t.http.get('/docs');
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  test('answers to keyed requests are Cache-Control: no-store, anonymous ones are not', async () => {
    const reader = await t.as('READER');
    const keyed = await reader.get('/v1/parties');
    expect(keyed.status).toBe(200);
    expect(keyed.headers['cache-control']).toBe('no-store');
    const refused = await reader.get('/v1/keys');
    expect(refused.status).toBe(403);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/healthz')).headers['cache-control']).toBe('no-cache');
  });
});
