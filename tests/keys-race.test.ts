import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { eventually } from './helpers/eventually';
import { holdAuditChainLock, lockWaiters } from './helpers/pg-locks';
import { expectProblem } from './helpers/problems';

/*
 * Issue 9.3: two revocations of the last two ADMIN keys, at once. Both are
 * held just before commit (the audit chain lock is taken from outside), so
 * each has done its checks before either commits: one must win and the other
 * get 409 last-admin-key. Races need a real PostgreSQL.
 */
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('concurrent revocations of ADMIN keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  test('of the last two ADMIN keys revoked at once, one is revoked and the other answers 409 last-admin-key', async () => {
    const issued = await t.http.post('/v1/keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ name: 'Second admin', role: 'ADMIN' });
    expect(issued.status).toBe(201);
    const second = issued.body as { id: string; key: string };
    const keys = await t.http.get('/v1/keys').set('Authorization', `Bearer ${ADMIN_KEY}`);
    const bootstrap = (keys.body.data as { id: string; role: string; revokedAt: string | null }[]).find((k) => k.role === 'ADMIN' && k.id !== second.id)!;

    const chain = await holdAuditChainLock(t.url!);
    const revoke = (id: string, key: string) => t.http.post(`/v1/keys/${id}/revoke`).set('Authorization', `Bearer ${key}`).then((r) => r);
    const both = [revoke(bootstrap.id, second.key), revoke(second.id, ADMIN_KEY)];
    try {
      await eventually('both revocations are waiting', 10_000, async () => (await lockWaiters(t.url!, /./)).length >= 2, 20);
    } finally {
      await chain.release();
    }
    const results = await Promise.all(both);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(expectProblem(refused, 409)).toEqual(expect.objectContaining({ type: '/problems/last-admin-key', rule: 'last-admin-key' }));

    const active = await t.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_key k JOIN actor a ON a.id = k.actor_id WHERE k.revoked_at IS NULL AND a.role = 'ADMIN'`,
    );
    expect(active[0]!.n).toBe(1);
  });
});
