import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import pg from 'pg';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { connectPglite } from '../src/db/client';
import { verifyAuditChain } from '../src/modules/audit/service';
import { ensureAdminKey } from '../src/modules/keys/service';
import { createLogger } from '../src/shared/logger';
import { ADMIN_KEY, testConfig } from './helpers/app';
import { exitWithin, spawnServer, type ServerProcess } from './helpers/server-process';
import { createTestDatabase, DUMP_ENV, type TestDatabase } from './helpers/test-db';

/*
 * SPEC §4 (`npm start`, PORT/HOST, the embedded database) and graceful
 * shutdown in src/main.ts: on SIGTERM the server stops accepting
 * connections, lets requests in flight finish with their normal status,
 * closes the database and exits 0; past SHUTDOWN_TIMEOUT_MS it gives up
 * with exit code 1. A bad configuration refuses to start with exit code 2.
 *
 * The server runs as a real child process: on PostgreSQL (DATABASE_URL set)
 * against a test database of its own, otherwise on an embedded database in a
 * temporary DATA_DIR. That folder is prepared beforehand from the migrated
 * test database, with one claim in it, so that the server neither runs
 * initdb nor loads the seed (slow, and not what this file is about; the
 * seed has tests/seed.test.ts).
 */

// Child processes load the whole service: on a loaded 2-core machine that takes tens of seconds.
jest.setTimeout(120_000);

let dataDir: string | undefined;
let testDb: TestDatabase | undefined;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase();
  } else {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'counterpoint-shutdown-')), 'db');
    await prepareEmbeddedDataDir(dataDir);
  }
});

/** A migrated embedded database in `dir` holding one claim (so main.ts does not seed it). */
async function prepareEmbeddedDataDir(dir: string) {
  const dump = process.env[DUMP_ENV];
  if (!dump) throw new Error('global-setup did not prepare a PGlite dump');
  const db = await connectPglite({ dataDir: dir, loadFrom: new Blob([await readFile(dump)]) });
  try {
    const config = testConfig();
    const logger = createLogger('silent');
    await ensureAdminKey({ prisma: db.prisma, config, logger }, ADMIN_KEY);
    const api = request(createApp({ db, config, logger }));
    const post = async (url: string, body: object) => {
      const res = await api.post(url).set('Authorization', `Bearer ${ADMIN_KEY}`).send(body);
      if (res.status !== 201) throw new Error(`preparing the data folder: POST ${url} answered ${res.status} ${res.text}`);
      return res.body as { id: string };
    };
    const party = await post('/v1/parties', { name: 'Shutdown Test State', kind: 'STATE' });
    const source = await post('/v1/sources', { kind: 'ARTICLE', title: 'Shutdown test source', text: 'It was said that servers drain.' });
    await post('/v1/claims', {
      statement: 'Servers drain before they stop',
      assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'servers drain', quoteKind: 'INDIRECT' },
    });
  } finally {
    await db.close();
  }
}

afterAll(async () => {
  for (const s of servers) s.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  await testDb?.drop();
  if (dataDir) await rm(path.dirname(dataDir), { recursive: true, force: true });
});

function databaseEnv(): Record<string, string> {
  return testDb ? { DATABASE_URL: testDb.url! } : { DATA_DIR: dataDir! };
}

async function startServer(env: Record<string, string> = {}) {
  const server = spawnServer({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...databaseEnv(),
    ...env,
  });
  servers.push(server);
  const listening = await server.waitForLog('counterpoint is listening', 90_000);
  const url = new URL(String(listening.url));
  return { server, port: Number(url.port) };
}

type Reply = { status: number; body: any; headers: http.IncomingHttpHeaders };

/**
 * A POST whose body is held back: the headers go out with Expect: 100-continue,
 * and `dispatched` resolves when the server answers 100 Continue, i.e. once
 * it has taken the request in. `finish()` then sends the body.
 */
function slowPost(port: number, pathName: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: pathName,
    agent: false,
    headers: {
      Authorization: `Bearer ${ADMIN_KEY}`,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      Expect: '100-continue',
    },
  });
  const dispatched = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const reply = new Promise<Reply>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  const half = Math.floor(body.length / 2);
  let sent = 0;
  return {
    dispatched,
    reply,
    /** Sends the first half of the body now, the rest on finish(). */
    sendHalf: () => {
      req.write(body.slice(0, half));
      sent = half;
    },
    finish: () => req.end(body.slice(sent)),
    abandon: () => req.destroy(),
  };
}

function get(port: number, pathName: string, agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, agent: agent ?? false, headers: { Authorization: `Bearer ${ADMIN_KEY}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

/** Connects and reports how it went: 'connected' or the error code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

const createdIds: string[] = [];

describe('graceful shutdown', () => {
  test('SIGTERM: requests in flight complete with their normal status, new connections are refused, exit code 0', async () => {
    const { server, port } = await startServer();
    expect((await get(port, '/readyz')).status).toBe(200);

    // An idle keep-alive connection must not hold the shutdown up.
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/v1/claims?limit=1', keepAlive)).status).toBe(200);

    // Three writes in flight: taken in by the server, bodies not yet (fully) sent.
    const inFlight = [0, 1, 2].map((i) => slowPost(port, '/v1/parties', { name: `Drained party ${i} ${Date.now()}`, kind: 'ORGANIZATION' }));
    await Promise.all(inFlight.map((r) => r.dispatched));
    inFlight[0]!.sendHalf();

    const signalledAt = Date.now();
    server.kill('SIGTERM');
    await server.waitForLog('shutting down', 20_000);

    // The listening socket is closed: a new connection is refused. (The log
    // line is written just before the server closes it, so allow a moment; a
    // connection that reached the backlog as it closed is reset, not served.)
    const closing = (o: string) => o === 'connected' || o === 'ECONNRESET';
    let outcome = await tryConnect(port);
    for (let i = 0; closing(outcome) && i < 40; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      outcome = await tryConnect(port);
    }
    expect(outcome).toBe('ECONNREFUSED');
    // The process is still there, waiting for the requests in flight.
    expect(server.proc.exitCode).toBeNull();

    for (const r of inFlight) r.finish();
    const replies = await Promise.all(inFlight.map((r) => r.reply));
    for (const reply of replies) {
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ id: expect.any(String), kind: 'ORGANIZATION' });
      createdIds.push(reply.body.id);
    }

    const drainedAt = Date.now();
    const exit = await exitWithin(server, 10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    // Not held up by the idle keep-alive connection (it would be, for keepAliveTimeout = 5 s).
    expect(Date.now() - drainedAt).toBeLessThan(4000);
    expect(server.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(server.stderr()).not.toMatch(/shutdown timed out|unhandled|failed/i);
    keepAlive.destroy();
  });

  test('what the drained requests wrote was committed, with its audit events, before the process exited', async () => {
    expect(createdIds).toHaveLength(3);
    // The server is gone; read its database directly.
    const db = testDb ? testDb.db : await connectPglite({ dataDir: dataDir! });
    try {
      const parties = await db.prisma.party.findMany({ where: { id: { in: createdIds } } });
      expect(parties.map((p) => p.id).sort()).toEqual([...createdIds].sort());
      for (const p of parties) expect(p.name).toMatch(/^Drained party/);
      const events = await db.prisma.auditEvent.findMany({ where: { entityId: { in: createdIds } } });
      expect(events.map((e) => e.action)).toEqual(['party.create', 'party.create', 'party.create']);
      const config = testConfig();
      expect(await verifyAuditChain({ prisma: db.prisma, config, logger: createLogger('silent') })).toMatchObject({ ok: true, firstBadSeq: null });
    } finally {
      if (!testDb) await db.close();
    }
  });

  // PostgreSQL only: a lock taken from outside the server holds its request mid-way.
  (process.env.DATABASE_URL ? test : test.skip)('a write whose client hung up is still carried out before the database closes', async () => {
    const { server, port } = await startServer({ LOCK_TIMEOUT_MS: '20000' });
    const name = `Written after the hang-up ${Date.now()}`;
    const outside = new pg.Client({ connectionString: testDb!.url });
    await outside.connect();
    try {
      // An idempotent write first purges expired keys (its own statement), then writes in a transaction:
      // the lock holds it between the two.
      await outside.query('BEGIN');
      await outside.query('LOCK TABLE "idempotency_record" IN ACCESS EXCLUSIVE MODE');
      const body = JSON.stringify({ name, kind: 'ORGANIZATION' });
      const req = http.request({
        host: '127.0.0.1', port, method: 'POST', path: '/v1/parties', agent: false,
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'Idempotency-Key': `hang-up-${Date.now()}` },
      });
      req.on('error', () => undefined);
      req.end(body);
      let waiting = false;
      for (let i = 0; i < 200 && !waiting; i += 1) {
        await outside.query('SELECT pg_stat_clear_snapshot()'); // the view is read once per transaction otherwise
        const { rows } = await outside.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%idempotency_record%' AND pid <> pg_backend_pid()`);
        waiting = rows.length > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 50));
      }
      expect(waiting).toBe(true);
      req.destroy(); // the client hangs up; the server's handler still waits on the lock
      server.kill('SIGTERM');
      await server.waitForLog('shutting down', 20_000);
      await new Promise((r) => setTimeout(r, 500));
      await outside.query('COMMIT');
    } finally {
      await outside.end();
    }
    expect(await exitWithin(server, 10_000)).toEqual({ code: 0, signal: null });
    expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
    // The server exited only once the write was done: the party is there, with its audit event.
    const parties = await testDb!.db.prisma.party.findMany({ where: { name } });
    expect(parties).toHaveLength(1);
    expect(await testDb!.db.prisma.auditEvent.count({ where: { entityId: parties[0]!.id, action: 'party.create' } })).toBe(1);
  });

  test('a request still open when SHUTDOWN_TIMEOUT_MS passes: the server gives up with exit code 1 and says why', async () => {
    const { server, port } = await startServer({ SHUTDOWN_TIMEOUT_MS: '800' });
    const stuck = slowPost(port, '/v1/parties', { name: 'Never finished', kind: 'STATE' });
    await stuck.dispatched;
    stuck.reply.catch(() => undefined); // the connection dies with the process
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    const exit = await exitWithin(server, 10_000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(700);
    expect(server.stderr()).toMatch(/shutdown timed out/);
    stuck.abandon();
  });
});

describe('bad configuration', () => {
  const CASES: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['PORT=70000', { PORT: '70000' }, 'PORT'],
    ['a short ADMIN_API_KEY', { ADMIN_API_KEY: 'too-short' }, 'ADMIN_API_KEY'],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['a DATABASE_URL that is not postgres', { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
  ];
  // The processes are independent: start them all at once, then look at each.
  const runs = new Map<string, ServerProcess>();
  beforeAll(() => {
    for (const [what, env] of CASES) {
      const server = spawnServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY, DATA_DIR: path.join(os.tmpdir(), 'counterpoint-never-created'), ...env });
      servers.push(server);
      runs.set(what, server);
    }
  });

  test.each(CASES)('%s: exit code 2 with a message naming the setting, before listening', async (what, _env, name) => {
    const server = runs.get(what)!;
    // Five processes start at once on a shared machine: the bound is generous, speed is the next test's subject.
    const exit = await exitWithin(server, 45_000);
    expect(exit).toEqual({ code: 2, signal: null });
    expect(server.stderr()).toMatch(/Invalid configuration/);
    expect(server.stderr()).toContain(name);
    expect(server.stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(server.logs.map((l) => l.msg)).not.toContain('counterpoint is listening');
  });

  test('a bad configuration is refused before the rest of the service is loaded', async () => {
    const probe = path.join(__dirname, 'helpers/loaded-modules.cjs');
    const server = spawnServer({ PORT: 'abc', HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN_KEY }, ['-r', probe]);
    servers.push(server);
    expect(await exitWithin(server, 45_000)).toEqual({ code: 2, signal: null });
    expect(server.stderr()).toMatch(/Invalid configuration:\n {2}PORT: /);
    const loaded = server.logs.find((l) => Array.isArray(l.loadedModules))?.loadedModules as string[];
    expect(loaded).toEqual(expect.arrayContaining(['main.ts', 'config/config.ts']));
    expect(loaded).not.toContain('app.ts');
    expect(loaded).not.toContain('server.ts');
    expect(loaded.length).toBeLessThanOrEqual(3);
  });
});
