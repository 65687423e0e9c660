import type { Response } from 'supertest';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { holdAuditChainLock, type HeldLock } from './helpers/pg-locks';
import { expectProblem } from './helpers/problems';

/*
 * Issue 9.6: no request waits without limit. A lock held elsewhere (here the
 * audit chain lock, taken from an outside connection) makes a write answer
 * 503 with Retry-After once LOCK_TIMEOUT_MS has passed; a pool with no free
 * connection makes a request answer 503 once DATABASE_POOL_WAIT_MS has
 * passed. Never a 500, never a hung request. Needs a PostgreSQL server: the
 * embedded PGlite is one connection in the process and cannot be held from outside.
 */
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

function expectBusy(res: Response) {
  const body = expectProblem(res, 503);
  expect(body.type).toBe('/problems/database-timeout');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/timeout exceeded|55P03|57014|stack/i);
}

async function timed<T>(work: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = Date.now();
  const res = await work();
  return { res, ms: Date.now() - started };
}

describePg('timeouts', () => {
  describe('a lock held by someone else', () => {
    let t: TestApp;
    let held: HeldLock | undefined;
    beforeAll(async () => {
      t = await startTestApp({ lockTimeoutMs: 1000 });
    });
    afterEach(() => held?.release());
    afterAll(() => t.close());

    test('a write waiting for the audit chain lock answers 503 with Retry-After within the lock timeout, and writes nothing', async () => {
      held = await holdAuditChainLock(t.url!);
      const name = `Locked out ${Date.now()}`;
      const { res, ms } = await timed(() =>
        t.http.post('/v1/parties').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name, kind: 'STATE' }).timeout(8000),
      );
      expectBusy(res);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(4000);
      await held.release();
      held = undefined;
      const rows = await t.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM party WHERE name = $1', [name]);
      expect(rows[0]!.n).toBe(0);
      // Once the lock is free the same write goes through.
      expect((await t.http.post('/v1/parties').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name, kind: 'STATE' })).status).toBe(201);
    });
  });

  describe('a pool with no free connection', () => {
    let t: TestApp;
    let held: HeldLock | undefined;
    beforeAll(async () => {
      t = await startTestApp({ poolSize: 1, poolWaitMs: 500, lockTimeoutMs: 4000 });
    });
    afterAll(async () => {
      await held?.release();
      await t.close();
    });

    test('a request that finds every connection taken answers 503 with Retry-After within the pool wait', async () => {
      held = await holdAuditChainLock(t.url!);
      // This write takes the only connection and waits on the chain lock.
      const stuck = t.http.post('/v1/parties').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name: `Holder ${Date.now()}`, kind: 'STATE' }).then((r) => r);
      await new Promise((r) => setTimeout(r, 300));
      const { res, ms } = await timed(() => t.http.get('/v1/claims').set('Authorization', `Bearer ${ADMIN_KEY}`).timeout(8000));
      expectBusy(res);
      expect(ms).toBeLessThan(2500);
      await held.release();
      held = undefined;
      expect([201, 503]).toContain((await stuck).status);
      expect((await t.http.get('/v1/claims').set('Authorization', `Bearer ${ADMIN_KEY}`)).status).toBe(200);
    });
  });
});
