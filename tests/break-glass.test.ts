import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { ROOT, serverEnv, spawnServer } from './helpers/server-process';

/*
 * Issue 9.3: when every ADMIN key is gone (ADMIN_API_KEY revoked), the
 * service still starts and says what to do, and `npm run break-glass`, run on
 * the host with the database, issues a new ADMIN key, shown once and audited.
 */
const run = promisify(execFile);
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('break-glass', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // Revoke the bootstrap key by hand: the API would refuse (last ADMIN key), an accident or an attacker may not.
    await t.db.sql.query(`UPDATE api_key SET revoked_at = now()`);
  });
  afterAll(() => t.close());

  test('a restart with a revoked ADMIN_API_KEY starts, refuses the key, and logs how to issue a new one', async () => {
    const server = spawnServer({ DATABASE_URL: t.url!, PORT: '0', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info' });
    try {
      const listening = await server.waitForLog('counterpoint is listening', 60_000);
      const res = await fetch(`${listening.url as string}/v1/keys`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
      expect(res.status).toBe(401);
      const warning = server.logs.find((l) => String(l.msg).startsWith('ADMIN_API_KEY has been revoked'));
      expect(warning?.msg).toMatch(/npm run break-glass -- --name/);
    } finally {
      server.kill('SIGKILL');
      await server.exited;
    }
  });

  test('npm run break-glass issues a working ADMIN key, shown once, audited as key.issue by the break-glass actor', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/modules/keys/break-glass-cli.ts', '--name', 'Night desk admin'], {
      cwd: ROOT,
      env: serverEnv({ DATABASE_URL: t.url!, LOG_LEVEL: 'error' }),
    });
    const key = /^(cp_\S+)$/m.exec(stdout)?.[1];
    expect(key).toBeDefined();
    const me = await t.http.get('/v1/me').set('Authorization', `Bearer ${key!}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(expect.objectContaining({ role: 'ADMIN' }));
    const events = await t.db.sql.query<{ action: string; actor: string; after: { name: string; role: string } }>(
      `SELECT e.action, a.name AS actor, e.after FROM audit_event e JOIN actor a ON a.id = e.actor_id WHERE e.action IN ('key.issue', 'actor.create') ORDER BY e.seq DESC LIMIT 2`,
    );
    // The new key's actor, then the key itself (the chain holds every row), both by the break-glass actor.
    const issued = events.find((e) => e.action === 'key.issue');
    const newActor = events.find((e) => e.action === 'actor.create');
    expect(issued).toEqual(expect.objectContaining({ actor: 'Break-glass (command line on the host)' }));
    expect(newActor).toEqual(expect.objectContaining({ actor: 'Break-glass (command line on the host)' }));
    expect(newActor!.after).toEqual(expect.objectContaining({ name: 'Night desk admin', role: 'ADMIN' }));
    expect(stdout.split(key!).length).toBe(2); // printed once
    const verify = await t.http.get('/v1/audit/verify').set('Authorization', `Bearer ${key!}`);
    expect(verify.body.ok).toBe(true);
  });

  test('refuses to run without --name (exit code 2)', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'src/modules/keys/break-glass-cli.ts'], { cwd: ROOT, env: serverEnv({ DATABASE_URL: t.url! }) })).rejects.toEqual(
      expect.objectContaining({ code: 2 }),
    );
  });
});
