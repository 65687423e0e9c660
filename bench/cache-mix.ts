// The read cache under writes: readers at 32 connections ask for the dossiers
// of the seed story's claims and two searches while a writer records new
// parties at a fixed rate. Every write moves the audit chain's head, and an
// answer is kept only while the head is unchanged, so the share of reads
// answered from memory falls as writes rise. Printed per write rate: writes
// made, reads/s, p50/p95 of the reads, and the cache's hits, shared waits and
// misses (the service's own counters, from /metrics); then the same without
// the caches (READ_CACHE_MB=0: answers and API keys alone). Reads carry an
// API key, as a journalist's lookups do (BENCH_ANONYMOUS=1: none).
// Loopback only; bounded in time and count.
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:cache-mix
//   BENCH_DURATION=10 BENCH_WRITE_RATES=0,1,5,20
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { DRILL_KEY, scrapeMetrics, startDrillServer, type DrillServer } from './hostile-shapes';
import { adminQuery, withDatabase } from '../tests/helpers/test-db';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const rates = (process.env.BENCH_WRITE_RATES ?? '0,1,5,20').split(',').map(Number);
const CONNECTIONS = 32;
const DB_NAME = 'cp_cache_mix_bench';
const auth = { Authorization: `Bearer ${DRILL_KEY}` };

type Lookups = { hit: number; shared: number; miss: number };

async function lookups(server: DrillServer): Promise<Lookups> {
  const text = await scrapeMetrics(server);
  const count = (result: string) => Number(new RegExp(`^counterpoint_read_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), shared: count('shared'), miss: count('miss') };
}

/** Posts a new party every 1/rate seconds until `until`; returns how many were acknowledged. */
async function writer(server: DrillServer, rate: number, until: number): Promise<number> {
  if (rate === 0) return 0;
  let made = 0;
  const start = Date.now();
  for (let i = 0; Date.now() < until; i += 1) {
    const due = start + (i * 1000) / rate;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    if (Date.now() >= until) break;
    const res = await fetch(`${server.url}/v1/parties`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Cache mix party ${process.pid}-${Date.now()}-${i}`, kind: 'STATE' }),
    });
    if (res.status === 201) made += 1;
    await res.arrayBuffer();
  }
  return made;
}

async function readers(server: DrillServer, paths: string[], seconds = duration) {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: process.env.BENCH_ANONYMOUS ? {} : auth,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)]! }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { rps: result.requests.total / seconds, p50: at(0.5), p95: at(0.95), errors: result.errors + result.non2xx + result.timeouts };
}

async function pass(url: string, cacheMb: number, writeRates: number[]) {
  const server = await startDrillServer({ DATABASE_URL: url, READ_CACHE_MB: String(cacheMb), PUBLIC_READ: 'true', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' });
  try {
    const claims = (await (await fetch(`${server.url}/v1/claims?limit=100`, { headers: auth })).json()) as { data: { id: string }[] };
    const paths = [...claims.data.map((c) => `/v1/claims/${c.id}`), '/v1/claims?q=ceasefire', '/v1/claims?q=Gaza&party=israel'];
    await readers(server, paths, 3); // warm-up, not shown
    for (const rate of writeRates) {
      const before = await lookups(server);
      const until = Date.now() + duration * 1000;
      const [reads, writes] = await Promise.all([readers(server, paths), writer(server, rate, until)]);
      const after = await lookups(server);
      const d = { hit: after.hit - before.hit, shared: after.shared - before.shared, miss: after.miss - before.miss };
      const all = d.hit + d.shared + d.miss;
      const share = (n: number) => (all ? `${((100 * n) / all).toFixed(1)}%` : '—');
      console.log(
        `${cacheMb ? `${cacheMb} MB` : 'off'} | ${rate}/s (${writes} made) | ${paths.length} | ${reads.rps.toFixed(0)} | ${reads.p50.toFixed(1)} | ${reads.p95.toFixed(1)} | ${reads.errors} | ${share(d.hit)} | ${share(d.shared)} | ${share(d.miss)}`,
      );
    }
  } finally {
    await server.stop();
  }
}

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is made beside the one named, and dropped after)');
  await adminQuery(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${DB_NAME}"`);
  const url = withDatabase(base, DB_NAME);
  try {
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`the seed failed: ${seeded.stderr}`);
    console.log(`${duration} s per row, ${CONNECTIONS} read connections, the seed story's claims`);
    console.log('cache | writes | read URLs | reads/s | p50 ms | p95 ms | errors | hit | shared | miss');
    await pass(url, 16, rates);
    await pass(url, 0, [rates[0]!, rates[rates.length - 1]!]);
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
