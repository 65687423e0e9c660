// The fault drill of issue 9: writers keep writing, with Idempotency-Keys,
// while the database crashes and restarts and the service is killed with
// SIGKILL and restarted; then every acknowledged write must be there once.
//   npm run bench:fault-drill [-- --writers 12 --seconds 30]
//
// Everything is its own and on loopback: a PostgreSQL 15 cluster made with
// initdb in a temporary folder on port 5441 (never the shared 5432), the
// service as a child process on 3441. Bounded in time (a watchdog ends it),
// and it removes its cluster and processes however it ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import pg from 'pg';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const WRITERS = arg('writers', 12);
const LOAD_MS = arg('seconds', 30) * 1000;
const PG_PORT = 5441;
const API_PORT = 3441;
const BIN = '/usr/lib/postgresql/15/bin';
const ROOT = path.resolve(__dirname, '..');
const BASE = `http://127.0.0.1:${API_PORT}`;
const ADMIN_KEY = `drill-${randomBytes(24).toString('hex')}`;
const RUN = Date.now().toString(36);
// When the faults happen, from the start of the load.
const DB_STOP_AT = 0.25 * LOAD_MS;
const DB_DOWN_MS = 4000;
const SERVICE_KILL_AT = 0.65 * LOAD_MS;
/** After the load, writers still retry what they had started, for at most this long. */
const DRAIN_MS = 45_000;
const WATCHDOG_MS = LOAD_MS + DRAIN_MS + 120_000;

const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-fault-drill-'));
const pgData = path.join(dir, 'pgdata');
const dbUrl = `postgresql://postgres@127.0.0.1:${PG_PORT}/drill`;
let service: ChildProcess | undefined;
const timeline: string[] = [];
const started = Date.now();
const note = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);

/** initdb and pg_ctl refuse to run as root: run them as the postgres user then. */
function asPostgres(cmd: string, args: string[]) {
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

const pgCtl = (...args: string[]) => asPostgres(`${BIN}/pg_ctl`, ['-D', pgData, ...args]);
const startPg = () =>
  pgCtl('start', '-w', '-t', '60', '-l', path.join(dir, 'postgres.log'), '-o', `-p ${PG_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60 -c shared_buffers=32MB`);

async function makeCluster() {
  if (process.getuid?.() === 0) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout));
  asPostgres(`${BIN}/initdb`, ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  startPg();
  const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${PG_PORT}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE drill');
  await admin.end();
  note(`PostgreSQL cluster made with initdb on 127.0.0.1:${PG_PORT}`);
}

function startService() {
  service = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl,
      HOST: '127.0.0.1',
      PORT: String(API_PORT),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function untilReady(ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(`${BASE}/readyz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await pause(200);
  }
  throw new Error(`the service was not ready within ${ms} ms`);
}

type Kind = 'source' | 'claim' | 'assertion';
type Attempt = { kind: Kind; marker: string; acknowledged: boolean };
const attempts: Attempt[] = [];
const stats = { requests: 0, status503: 0, other5xx: 0, networkErrors: 0, inFlight409: 0, unexpected4xx: [] as string[] };

async function api(method: string, url: string, body?: unknown, key?: string) {
  return fetch(`${BASE}${url}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json', ...(key && { 'Idempotency-Key': key }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** POSTs with one Idempotency-Key until it is acknowledged (2xx), retrying on 503, 409 in flight, errors and timeouts. */
async function acknowledged(kind: Kind, marker: string, url: string, body: unknown, giveUpAt: number): Promise<{ id: string } | undefined> {
  const key = randomUUID();
  const attempt: Attempt = { kind, marker, acknowledged: false };
  attempts.push(attempt);
  while (Date.now() < giveUpAt) {
    stats.requests += 1;
    let res: Response;
    try {
      res = await api('POST', url, body, key);
    } catch {
      stats.networkErrors += 1;
      await pause(250);
      continue;
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      attempt.acknowledged = true;
      return JSON.parse(text) as { id: string };
    }
    if (res.status === 503) stats.status503 += 1;
    else if (res.status >= 500) stats.other5xx += 1;
    else if (res.status === 409 && text.includes('idempotency-in-flight')) stats.inFlight409 += 1;
    else {
      stats.unexpected4xx.push(`${res.status} ${url}: ${text.slice(0, 200)}`);
      return undefined;
    }
    await pause(250);
  }
  return undefined;
}

async function writer(w: number, partyA: string, partyB: string, loadEnd: number) {
  const giveUpAt = loadEnd + DRAIN_MS;
  for (let n = 1; Date.now() < loadEnd; n += 1) {
    const tag = `${RUN}-w${w}-${n}`;
    const source = await acknowledged('source', `Drill source ${tag}`, '/v1/sources', {
      kind: 'ARTICLE',
      title: `Drill source ${tag}`,
      text: `The spokesperson said that claim ${tag} holds, and the other side said that counter ${tag} is false.`,
    }, giveUpAt);
    if (!source) return;
    const claim = await acknowledged('claim', `Drill statement ${tag}`, '/v1/claims', {
      statement: `Drill statement ${tag}`,
      assertion: { partyId: partyA, sourceId: source.id, stance: 'AFFIRMS', quote: `claim ${tag} holds`, quoteKind: 'INDIRECT' },
    }, giveUpAt);
    if (!claim) return;
    await acknowledged('assertion', `counter ${tag} is false`, `/v1/claims/${claim.id}/assertions`, {
      partyId: partyB, sourceId: source.id, stance: 'DENIES', quote: `counter ${tag} is false`, quoteKind: 'INDIRECT',
    }, giveUpAt);
  }
}

async function faults(loadStart: number) {
  await pause(loadStart + DB_STOP_AT - Date.now());
  pgCtl('stop', '-m', 'immediate');
  note('PostgreSQL stopped: pg_ctl stop -m immediate');
  await pause(DB_DOWN_MS);
  startPg();
  note('PostgreSQL restarted (crash recovery)');
  await pause(loadStart + SERVICE_KILL_AT - Date.now());
  service?.kill('SIGKILL');
  note(`service killed: kill -9 ${service?.pid}`);
  startService();
  await untilReady(60_000);
  note('service restarted and ready');
}

/** How many rows each marker has: a table's column holding the writers' unique words. */
async function rowsPerMarker(db: pg.Client, kind: Kind, markers: string[]): Promise<Map<string, number>> {
  const [table, column] = { source: ['source', 'title'], claim: ['claim', 'statement'], assertion: ['assertion', 'quote'] }[kind];
  const rows = await db.query<{ m: string; n: number }>(`SELECT "${column}" AS m, count(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1) GROUP BY 1`, [markers]);
  return new Map(rows.rows.map((r) => [r.m, r.n]));
}

async function check() {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  let missing = 0;
  let duplicates = 0;
  try {
    for (const kind of ['source', 'claim', 'assertion'] as const) {
      const mine = attempts.filter((a) => a.kind === kind);
      const counts = await rowsPerMarker(db, kind, mine.map((a) => a.marker));
      for (const a of mine) {
        const n = counts.get(a.marker) ?? 0;
        if (a.acknowledged && n === 0) missing += 1;
        if (n > 1) duplicates += n - 1;
      }
    }
  } finally {
    await db.end();
  }
  const verify = (await (await api('GET', '/v1/audit/verify')).json()) as { ok: boolean; checked: number; firstBadSeq: number | null };
  return { missing, duplicates, verify };
}

async function drill() {
  await makeCluster();
  startService();
  await untilReady(60_000);
  note(`service ready on ${BASE}`);
  const party = async (name: string) => ((await (await api('POST', '/v1/parties', { name: `${name} ${RUN}`, kind: 'STATE' })).json()) as { id: string }).id;
  const [partyA, partyB] = [await party('Drill affirming state'), await party('Drill denying state')];

  const loadStart = Date.now();
  const loadEnd = loadStart + LOAD_MS;
  note(`load: ${WRITERS} writers for ${LOAD_MS / 1000} s`);
  await Promise.all([faults(loadStart), ...Array.from({ length: WRITERS }, (_, w) => writer(w + 1, partyA, partyB, loadEnd))]);
  note('load over, every writer done');
  const result = await check();

  const acked = attempts.filter((a) => a.acknowledged);
  const byKind = (k: Kind) => acked.filter((a) => a.kind === k).length;
  const lines = [
    `fault drill: ${WRITERS} writers, ${LOAD_MS / 1000} s, PostgreSQL 15 on 127.0.0.1:${PG_PORT}, service on ${BASE}`,
    ...timeline,
    `requests sent                       ${stats.requests} (503: ${stats.status503}, 409 in flight: ${stats.inFlight409}, connection errors/timeouts: ${stats.networkErrors})`,
    `acknowledged writes                 ${acked.length} (${byKind('source')} sources, ${byKind('claim')} claims, ${byKind('assertion')} assertions)`,
    `started, never acknowledged         ${attempts.length - acked.length}`,
    `writes missing afterwards           ${result.missing}`,
    `duplicates after idempotent retries ${result.duplicates}`,
    `5xx other than 503                  ${stats.other5xx}`,
    `unexpected 4xx                      ${stats.unexpected4xx.length}${stats.unexpected4xx.length ? `: ${stats.unexpected4xx.slice(0, 3).join(' | ')}` : ''}`,
    `audit chain (/v1/audit/verify)      ${result.verify.ok ? 'verified' : 'BROKEN'}, ${result.verify.checked} events${result.verify.firstBadSeq ? `, first bad seq ${result.verify.firstBadSeq}` : ''}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return result.missing === 0 && result.duplicates === 0 && stats.other5xx === 0 && result.verify.ok && stats.unexpected4xx.length === 0;
}

function cleanUp() {
  service?.kill('SIGKILL');
  try {
    pgCtl('stop', '-m', 'immediate');
  } catch {
    // not running
  }
  rmSync(dir, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  process.stderr.write(`fault drill: watchdog after ${WATCHDOG_MS / 1000} s\n`);
  cleanUp();
  process.exit(1);
}, WATCHDOG_MS);
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

drill()
  .then((passed) => {
    clearTimeout(watchdog);
    cleanUp();
    process.exit(passed ? 0 : 1);
  })
  .catch((err: unknown) => {
    process.stderr.write(`fault drill failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    clearTimeout(watchdog);
    cleanUp();
    process.exit(1);
  });
