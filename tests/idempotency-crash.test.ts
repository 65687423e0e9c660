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

describePg('an idempotent POST whose process is killed', () => {
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

  const CHAIN_LOCK_WAIT = /pg_advisory_xact_lock/;

  async function scenario() {
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
    const post = (base: string) => fetch(`${base}/v1/claims`, { method: 'POST', headers, body });
    const claims = () => count('SELECT count(*)::int AS n FROM claim WHERE statement = $1', [statement]);
    return { keyHash, post, claims };
  }

  /** Kills the server with SIGKILL, and ends its backend still waiting for a lock, as its lost connection would. */
  async function crash(server: ServerProcess, waiting: number[]) {
    server.kill('SIGKILL');
    await server.exited;
    await terminateBackends(url, waiting);
  }

  /** The backends waiting for a lock in a statement matching `query`; or none once `settled` says the request ended. */
  async function waitFor(what: string, query: RegExp, settled: () => boolean = () => false): Promise<number[]> {
    let waiting: number[] = [];
    await eventually(what, 30_000, async () => settled() || (waiting = await lockWaiters(url, query)).length > 0, 20);
    return waiting;
  }

  test('a crash before commit leaves neither the claim nor the key taken: the retry runs at once and writes exactly one claim', async () => {
    const { post, claims } = await scenario();
    const first = await startServer();
    const chainLock = await holdAuditChainLock(url);
    const lost = post(first).then((r) => r.status, () => 'connection lost');
    const waiting = await waitFor('the write waits for the chain lock, just before commit', CHAIN_LOCK_WAIT);
    await crash(servers.at(-1)!, waiting);
    await chainLock.release();
    expect(await lost).toBe('connection lost');
    expect(await claims()).toBe(0);

    const second = await startServer();
    const retry = await post(second);
    expect(retry.status).toBe(201);
    expect(await claims()).toBe(1);
    const replay = await post(second);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(await retry.text());
  }, 120_000);

  test('a crash after the claim commits: the retry (even past the old staleness window) replays the original answer and writes no second claim', async () => {
    const { keyHash, post, claims } = await scenario();
    const first = await startServer();
    const chainLock = await holdAuditChainLock(url);
    let done = false;
    const answered = post(first)
      .then(async (r) => ({ status: r.status, text: await r.text(), location: r.headers.get('location') }), () => undefined)
      .finally(() => (done = true));
    await waitFor('the write waits for the chain lock', CHAIN_LOCK_WAIT);
    // Hold the key's record where it is already visible (a design that commits it before the change), so that
    // such a design stops between committing the claim and storing the reply; then let the commit happen.
    const recordLock = await holdRowLock(url, 'SELECT 1 FROM idempotency_record WHERE key_hash = $1 FOR UPDATE', [keyHash]);
    await chainLock.release();
    const waiting = await waitFor('the server waits to store the reply, or has answered', /idempotency_record/, () => done);
    await crash(servers.at(-1)!, waiting);
    await recordLock.release();
    const original = await answered;
    // Later than the 5 minutes after which an unfinished key was once released.
    await t.db.sql.query(`UPDATE idempotency_record SET created_at = now() - interval '6 minutes' WHERE key_hash = $1`, [keyHash]);

    const second = await startServer();
    const retry = await post(second);
    const retryText = await retry.text();
    expect(retry.status).toBe(201);
    expect(await claims()).toBe(1);
    expect(original).toBeDefined(); // the change committed, so its answer was produced
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retryText).toBe(original!.text);
    expect(retry.headers.get('location')).toBe(original!.location);
    expect(await count(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'claim.create' AND entity_id = $1`, [JSON.parse(retryText).id])).toBe(1);
  }, 120_000);
});
