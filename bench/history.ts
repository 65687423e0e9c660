/*
 * Provable history at scale (issue 11):
 *  1. what a checkpoint signature costs (Ed25519 over the note, node:crypto);
 *  2. replaying a 1,000,000-event chain into the ledger's rows, streaming;
 *  3. verifying a 1,000,000-event audit report offline (npm run verify), streaming.
 * Phases 2 and 3 run in child processes of their own and print their time and
 * peak RSS, with the RSS sampled along the way to show it stays flat.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:history -- --events 1000000 [--reuse]
 *
 * The events are whole rows, as the change capture writes them (a party, a
 * source, a claim and its assertion, then the claim's updates), hashed in JS
 * exactly as the service hashes them. Database: history_bench.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPostgres } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { eventHash, GENESIS_HASH, type ChainedEvent } from '../src/modules/audit/chain';
import { signCheckpoint } from '../src/modules/audit/checkpoint';
import { verifyReportStream } from '../src/modules/audit/offline-verify';
import { generateSignerKey, parseSignerKey } from '../src/modules/audit/signed-note';
import { replayLedger } from '../src/modules/history/replay';
import { ensureAdminKey } from '../src/modules/keys/service';
import { createLogger } from '../src/shared/logger';

const BENCH_DB = 'history_bench';
const OUT = path.join(__dirname, 'out');
const ADMIN_KEY = 'history-bench-admin-key-0000000000000001';
const SIGNING_KEY = generateSignerKey('bench.counterpoint/audit');

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rssMb = () => process.memoryUsage().rss / 1048576;
const peakMb = () => process.resourceUsage().maxRSS / 1024;

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminSql(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const uuid = (kind: number, n: number) => `019a${kind.toString(16).padStart(4, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** The rows of one "unit" of editorial work, as to_jsonb writes them. */
function* unitEvents(n: number, actor: string, at: string): Generator<Omit<ChainedEvent, 'seq' | 'at' | 'actorId' | 'requestId'>> {
  const party = uuid(1, Math.floor(n / 10));
  const source = uuid(2, n);
  const claim = uuid(3, n);
  const assertion = uuid(4, n);
  if (n % 10 === 0) yield { action: 'party.create', entityType: 'party', entityId: party, before: null, after: { id: party, slug: `party-${n}`, name: `Party ${n}`, kind: 'STATE', aliases: [], country: null, description: null, wikidata_id: null, version: 1, created_at: at, updated_at: at } };
  yield { action: 'source.create', entityType: 'source', entityId: source, before: null, after: { id: source, kind: 'ARTICLE', title: `Source ${n}`, url: `https://news.example/${n}`, publisher_id: null, published_at: null, language: 'en', text: `It was said that words ${n} were spoken.`, content_sha256: 'ab'.repeat(32), retrieved_at: null, created_at: at } };
  const claimRow = { id: claim, statement: `Statement ${n}`, topics: ['ceasefire-violations'], language: 'en', version: 1, contestation: 'uncontested', merged_into_id: null, created_by: actor, created_at: at, updated_at: at, last_asserted_at: at };
  yield { action: 'claim.create', entityType: 'claim', entityId: claim, before: null, after: claimRow };
  yield { action: 'assertion.create', entityType: 'assertion', entityId: assertion, before: null, after: { id: assertion, claim_id: claim, party_id: party, speaker_id: null, source_id: source, stance: 'AFFIRMS', quote: `words ${n}`, quote_kind: 'INDIRECT', anchor_exact: `words ${n}`, anchor_prefix: 'It was said that ', anchor_suffix: ' were spoken.', anchor_start: 17, anchor_end: 17 + `words ${n}`.length, asserted_at: null, asserted_at_precision: null, occasion: null, created_by: actor, created_at: at, withdrawn_at: null, withdrawn_reason: null, withdrawn_by: null } };
  const updated = { ...claimRow, version: 2, contestation: 'contested', updated_at: at };
  yield { action: 'claim.update', entityType: 'claim', entityId: claim, before: claimRow, after: updated };
}

async function generate(url: string, total: number) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const actor = (await pool.query<{ id: string }>(`INSERT INTO actor (id, name, role) VALUES (gen_random_uuid(), 'Bench editor', 'EDITOR') RETURNING id`)).rows[0]!.id;
  await pool.query('DELETE FROM audit_change'); // the actor row's capture: the bench writes the chain itself
  const head = (await pool.query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM audit_event ORDER BY seq DESC LIMIT 1')).rows[0];
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  const started = Date.now();
  let cols: unknown[][] = Array.from({ length: 11 }, () => []);
  const flush = async () => {
    await pool.query(
      `INSERT INTO audit_event (seq, at, actor_id, action, entity_type, entity_id, request_id, before, after, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[])`,
      cols,
    );
    cols = Array.from({ length: 11 }, () => []);
  };
  for (let n = 0; seq < total; n += 1) {
    const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    for (const e of unitEvents(n, actor, at)) {
      if (seq >= total) break;
      seq += 1;
      const event: ChainedEvent = { seq, at, actorId: actor, requestId: `bench-${n}`, ...e };
      const hash = eventHash(prevHash, event);
      [seq, at, actor, e.action, e.entityType, e.entityId, event.requestId, e.before === null ? null : JSON.stringify(e.before), JSON.stringify(e.after), prevHash, hash].forEach((v, i) => cols[i]!.push(v));
      prevHash = hash;
    }
    if (cols[0]!.length >= 10_000) await flush();
    if (n % 20_000 === 0) process.stderr.write(`  ${seq} events…\r`);
  }
  if (cols[0]!.length > 0) await flush();
  await pool.query('ANALYZE audit_event');
  await pool.end();
  return { events: seq, seconds: (Date.now() - started) / 1000 };
}

function sampler() {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssMb()), 250);
  return { stop: () => (clearInterval(timer), samples) };
}
const describeSamples = (s: number[]) => {
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0;
  return `RSS at 25/50/75/100%: ${[0.25, 0.5, 0.75, 1].map((f) => q(f).toFixed(0)).join(' / ')} MB`;
};

/** Child phase: replay the chain, counting rows. */
async function phaseReplay(url: string) {
  const db = connectPostgres({ url, poolSize: 2 });
  const idle = rssMb();
  const s = sampler();
  const started = Date.now();
  const rows = new Map<string, number>();
  const stats = await replayLedger(db.prisma, (type) => void rows.set(type, (rows.get(type) ?? 0) + 1));
  const seconds = (Date.now() - started) / 1000;
  await db.close();
  const samples = s.stop();
  process.stdout.write(`replay: ${stats.events} events → ${stats.entities} rows ${JSON.stringify(Object.fromEntries(rows))} in ${seconds.toFixed(1)} s (${Math.round(stats.events / seconds)} events/s); consistent: ${stats.firstInconsistentSeq === null}; RSS before ${idle.toFixed(0)} MB, peak ${peakMb().toFixed(0)} MB; ${describeSamples(samples)}\n`);
}

/** Child phase: the offline verifier on a report file. */
async function phaseVerify(file: string, checkpoint: string, publicKey: string) {
  const idle = rssMb();
  const s = sampler();
  const started = Date.now();
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const result = await verifyReportStream(lines, { checkpoints: [{ name: 'checkpoint', note: checkpoint }], publicKey });
  const seconds = (Date.now() - started) / 1000;
  const samples = s.stop();
  process.stdout.write(`verify: ${result.lines.at(-2) ?? ''} ${result.lines.at(-1)}; ${(statSync(file).size / 1048576).toFixed(0)} MB report in ${seconds.toFixed(1)} s; RSS before ${idle.toFixed(0)} MB, peak ${peakMb().toFixed(0)} MB; ${describeSamples(samples)}\n`);
}

function child(args: string[]) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=192', '--import', 'tsx', __filename, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`phase ${args[1]} failed`);
}

function signatureCost() {
  const signer = parseSignerKey(SIGNING_KEY);
  const head = { seq: 1_000_000, hash: 'ab'.repeat(32), at: new Date().toISOString() };
  for (let i = 0; i < 200; i += 1) signCheckpoint(signer, head);
  const n = 5000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) signCheckpoint(signer, { ...head, seq: head.seq + i });
  const us = Number(process.hrtime.bigint() - started) / n / 1000;
  process.stdout.write(`checkpoint: ${us.toFixed(1)} µs per signed note (${n} notes, Ed25519, node:crypto)\n`);
}

async function main() {
  const phase = arg('phase');
  if (phase === 'replay') return phaseReplay(arg('url')!);
  if (phase === 'verify') return phaseVerify(arg('file')!, (await import('node:fs')).readFileSync(arg('checkpoint')!, 'utf8'), arg('public-key')!);

  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (the bench makes its own database, history_bench)');
  const total = Number(arg('events') ?? 1_000_000);
  signatureCost();
  const url = withDatabase(base, BENCH_DB);
  if (!process.argv.includes('--reuse')) {
    await adminSql(base, `DROP DATABASE IF EXISTS "${BENCH_DB}" WITH (FORCE)`);
    await adminSql(base, `CREATE DATABASE "${BENCH_DB}"`);
    const db = connectPostgres({ url, poolSize: 2 });
    await applyMigrations(db.sql);
    await db.close();
    const g = await generate(url, total);
    process.stdout.write(`generated: ${g.events} events in ${g.seconds.toFixed(0)} s\n`);
  }
  child(['--phase', 'replay', '--url', url]);

  // The report, as the service streams it, then the checkpoint of its head.
  mkdirSync(OUT, { recursive: true });
  const db = connectPostgres({ url, poolSize: 4 });
  // The service's own settings parser, so that a new setting needs no edit here.
  const config = loadConfig({ NODE_ENV: 'production', PORT: '0', DATABASE_URL: url, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0', ADMIN_API_KEY: ADMIN_KEY, AUDIT_SIGNING_KEY: SIGNING_KEY });
  const logger = createLogger('silent');
  await ensureAdminKey({ prisma: db.prisma, config, logger }, ADMIN_KEY);
  const server = createApp({ db, config, logger }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const fetchTo = (p: string, file: string) =>
    new Promise<void>((resolve, reject) =>
      http.get(`http://127.0.0.1:${port}${p}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } }, (res) => pipeline(res, createWriteStream(file)).then(resolve, reject)).on('error', reject),
    );
  const reportFile = path.join(OUT, 'audit-report-1m.json');
  const checkpointFile = path.join(OUT, 'checkpoint.txt');
  await fetchTo('/v1/audit/checkpoint', checkpointFile);
  const started = Date.now();
  await fetchTo('/v1/reports/audit?format=json', reportFile);
  process.stdout.write(`report: ${(statSync(reportFile).size / 1048576).toFixed(0)} MB written by the service in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  server.close();
  await db.close();
  child(['--phase', 'verify', '--file', reportFile, '--checkpoint', checkpointFile, '--public-key', parseSignerKey(SIGNING_KEY).verifierKey]);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
