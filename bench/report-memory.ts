/*
 * Does the audit report stream? Fills a bench database with a large,
 * correctly hash-chained audit log, starts the service on it as a child
 * process, downloads GET /v1/reports/audit?format=csv and reports events/s,
 * time to first byte and the service's peak RSS above idle.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:report -- --events 1000000
 *   (--reuse: keep the bench database from the last run; --heap-mb N: the service's heap limit, 0 for Node's default)
 *
 * The events are hashed in JS exactly as the service hashes them and
 * inserted in seq order in batches of INSERT … SELECT FROM unnest(…), with
 * the append-only triggers in force: the chain verifies, and the report's
 * verification pass does real work.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { connectPostgres } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { eventHash, GENESIS_HASH, type ChainedEvent } from '../src/modules/audit/chain';

const BENCH_DB = 'counterpoint_bench';
const INSERT_BATCH = 10_000;
const ACTIONS = ['claim.create', 'assertion.create', 'review.create', 'review.transition', 'party.update'];

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated bench database; its URL. */
async function prepareDatabase(baseUrl: string): Promise<string> {
  await admin(baseUrl, `DROP DATABASE IF EXISTS "${BENCH_DB}" WITH (FORCE)`);
  await admin(baseUrl, `CREATE DATABASE "${BENCH_DB}"`);
  const url = withDatabase(baseUrl, BENCH_DB);
  const db = connectPostgres({ url, poolSize: 2 });
  await applyMigrations(db.sql);
  await db.close();
  return url;
}

/** Inserts `total` chained events; answers events per second. */
async function generate(url: string, total: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const actor = (await pool.query<{ id: string }>(`INSERT INTO actor (id, name, role) VALUES (gen_random_uuid(), 'Bench editor', 'EDITOR') RETURNING id`)).rows[0]!.id;
  const started = Date.now();
  const t0 = Date.UTC(2026, 0, 1);
  let prevHash = GENESIS_HASH;
  for (let from = 1; from <= total; from += INSERT_BATCH) {
    const cols: unknown[][] = Array.from({ length: 11 }, () => []);
    for (let seq = from; seq < Math.min(from + INSERT_BATCH, total + 1); seq += 1) {
      const event: ChainedEvent = {
        seq,
        at: new Date(t0 + seq * 10).toISOString(),
        actorId: actor,
        action: ACTIONS[seq % ACTIONS.length]!,
        entityType: 'claim',
        entityId: `019a0000-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
        requestId: `bench-${seq}`,
        before: null,
        after: { seq, statement: seq % 97 === 0 ? '=cmd|"/c calc"!A1, with "quotes"' : `statement ${seq}` },
      };
      const hash = eventHash(prevHash, event);
      const row = [seq, event.at, event.actorId, event.action, event.entityType, event.entityId, event.requestId, null, JSON.stringify(event.after), prevHash, hash];
      row.forEach((v, i) => cols[i]!.push(v));
      prevHash = hash;
    }
    // Rows go in seq order; the BEFORE INSERT trigger checks each one extends the head.
    await pool.query(
      `INSERT INTO audit_event (seq, at, actor_id, action, entity_type, entity_id, request_id, before, after, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[])`,
      cols,
    );
    if ((from - 1) % 100_000 === 0) process.stderr.write(`  ${from - 1} events…\r`);
  }
  await pool.query('ANALYZE audit_event');
  await pool.end();
  return total / ((Date.now() - started) / 1000);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Fetched = { status: number; bytes: number; records: number; headSeq: number };

function get(url: string, key: string, onFirstByte?: () => void): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Authorization: `Bearer ${key}` } }, (res) => {
        let bytes = 0;
        let records = 0;
        let first = true;
        res.on('data', (chunk: Buffer) => {
          if (first) (first = false), onFirstByte?.();
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records += 1;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, records, headSeq: Number(res.headers['x-audit-head-seq']) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server; the bench creates its own database there');
  const events = option('events', 1_000_000);
  // The service's V8 heap limit, as a container deployment sets it (NODE_OPTIONS); 0: Node's default.
  const heapMb = process.argv.includes('--heap-mb') ? Number(process.argv[process.argv.indexOf('--heap-mb') + 1]) : 192;

  let url = withDatabase(baseUrl, BENCH_DB);
  let insertRate = Number.NaN;
  if (process.argv.includes('--reuse')) {
    console.log(`Reusing ${BENCH_DB} as it is`);
  } else {
    console.log(`Preparing ${BENCH_DB} with ${events} audit events…`);
    url = await prepareDatabase(baseUrl);
    insertRate = await generate(url, events);
    console.log(`  generated and inserted at ${Math.round(insertRate)} events/s`);
  }

  const port = await freePort();
  const key = `bench-${randomBytes(24).toString('hex')}`;
  const root = path.resolve(__dirname, '..');
  const child = spawn(process.execPath, [...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), ADMIN_API_KEY: key, LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '0', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i += 1) {
      const ok = await get(`${base}/readyz`, key).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (i > 300) throw new Error('the service did not become ready');
      await pause(100);
    }
    await get(`${base}/v1/audit/head`, key);
    await pause(1000);
    const idle = rssMb(child.pid!);

    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 20);
    const started = performance.now();
    let ttfb = 0;
    const result = await get(`${base}/v1/reports/audit?format=csv`, key, () => (ttfb = performance.now() - started));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(child.pid!));

    const rows = result.records - 4; // header, blank line, verification header and row
    const figures = {
      events,
      status: result.status,
      rowsStreamed: rows,
      megabytes: +(result.bytes / 1e6).toFixed(1),
      seconds: +seconds.toFixed(2),
      eventsPerSecond: Math.round(rows / seconds),
      timeToFirstByteMs: Math.round(ttfb),
      idleRssMb: Math.round(idle),
      peakRssMb: Math.round(peak),
      peakAboveIdleMb: Math.round(peak - idle),
      insertEventsPerSecond: Math.round(insertRate),
      serviceHeapLimitMb: heapMb || 'node default',
    };
    console.log(JSON.stringify(figures, null, 2));
    // The log also holds the service's own start-up events (the admin key it issued).
    const pass = result.status === 200 && rows === result.headSeq && rows >= events && ttfb < 1000 && peak - idle <= 100;
    console.log(pass ? 'PASS: streamed every event, first byte < 1 s, peak RSS ≤ 100 MB above idle' : 'FAIL: see the figures above');
    process.exitCode = pass ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
