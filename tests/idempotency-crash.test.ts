import { createHash, randomUUID } from 'node:crypto';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { eventually } from './helpers/eventually';
import { makeParty, makeSource } from './helpers/factories';
import { holdAuditChainLock, holdRowLock, lockWaiters, terminateBackends } from './helpers/pg-locks';
import { spawnServer, type ServerProcess } from './helpers/server-process';

/*
 * Issue 9.2: an idempotent POST whose process dies between the change's
 * commit and the stored reply. The request is held at a known point with
 * locks taken from outside: the audit chain lock until the key is claimed,
 * then a row lock on the key's record, so the server is stopped exactly
 * while it stores the reply; it is then killed with SIGKILL (and its waiting
 * backend terminated, as the dead process's connection would be).
 * A real PostgreSQL and a real process: PGlite cannot be held from outside.
 */
const describePg = process.env.DATABASE_URL ? describe : describe.skip;

describePg('an idempotent POST killed while storing its reply', () => {
  let t: TestApp;
  let url: string;
  const servers: ServerProcess[] = [];

  async function startServer(): Promise<string> {
    // Long timeouts: the test holds locks on purpose, longer than a request would normally wait.
    const server = spawnServer({ DATABASE_URL: url, PORT: '0', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info', LOCK_TIMEOUT_MS: '60000', STATEMENT_TIMEOUT_MS: '60000' });
    servers.push(server);
    const listening = await server.waitForLog('counterpoint is listening', 60_000);
    return listening.url as string;
  }

  const count = async (sql: string, params: unknown[]) => (await t.db.sql.query<{ n: number }>(sql, params))[0]!.n;

  beforeAll(async () => {
    t = await startTestApp();
    url = t.url!;
  });
  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    await t.close();
  });

  test('a crash leaves neither change nor reply; the retry after the staleness window writes exactly one claim, and replays it', async () => {
    const party = await makeParty(t);
    const source = await makeSource(t, { text: 'The minister said the bridge will open in May.' });
    const statement = `The bridge opens in May ${randomUUID()}`;
    const body = JSON.stringify({
      statement,
      assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'the bridge will open in May', quoteKind: 'INDIRECT' },
    });
    const key = randomUUID();
    const keyHash = createHash('sha256').update(key).digest('hex');
    const headers = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': key };
    const claims = () => count('SELECT count(*)::int AS n FROM claim WHERE statement = $1', [statement]);

    const first = await startServer();
    const chainLock = await holdAuditChainLock(url);
    const lost = fetch(`${first}/v1/claims`, { method: 'POST', headers, body }).then(
      (r) => r.status,
      () => 'connection lost',
    );
    await eventually('the key is claimed', 10_000, async () => (await count('SELECT count(*)::int AS n FROM idempotency_record WHERE key_hash = $1', [keyHash])) === 1, 20);
    const recordLock = await holdRowLock(url, 'SELECT 1 FROM idempotency_record WHERE key_hash = $1 FOR UPDATE', [keyHash]);
    await chainLock.release();
    let waiting: number[] = [];
    await eventually('the server waits to store the reply', 10_000, async () => (waiting = await lockWaiters(url, /idempotency_record/)).length > 0, 20);

    servers[0]!.kill('SIGKILL');
    await servers[0]!.exited;
    await terminateBackends(url, waiting);
    await recordLock.release();
    expect(await lost).toBe('connection lost');
    expect(await claims()).toBe(0); // neither the claim nor its reply committed

    // Later than the staleness window (5 minutes): the key is released, the retry runs.
    await t.db.sql.query(`UPDATE idempotency_record SET created_at = now() - interval '6 minutes' WHERE key_hash = $1`, [keyHash]);
    const second = await startServer();
    const retry = await fetch(`${second}/v1/claims`, { method: 'POST', headers, body });
    const retryBody = await retry.text();
    expect(retry.status).toBe(201);
    expect(await claims()).toBe(1);

    const replay = await fetch(`${second}/v1/claims`, { method: 'POST', headers, body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe(retry.headers.get('location'));
    expect(await replay.text()).toBe(retryBody);
    expect(await claims()).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'claim.create' AND entity_id = $1`, [JSON.parse(retryBody).id])).toBe(1);
  }, 120_000);
});
