/*
 * The search scenarios against their floor (bench/floor/search.ts), as
 * bench/run.ts also measures them, plus what run.ts cannot: the service of
 * another checkout (OLD_SERVICE_DIR, "today's") beside this one, and a bare
 * node:http + pg server around searchFloor. It first checks that the floor
 * answers each scenario byte for byte as the service does, then runs
 * interleaved rounds (autocannon, 32 connections) and prints the medians.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/search_bench \
 *   OLD_SERVICE_DIR=/tmp/main-old OLD_DATABASE_URL=… ROUNDS=3 SECONDS=10 tsx bench/search-compare.ts
 *
 * (OLD_DATABASE_URL: a copy of the dataset without this branch's migrations, for today's service.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { searchFloor } from './floor/search';
import { serviceMemoryFlags } from './memory-flags';
import { loadDataset, scenarios } from './scenarios';
import { BENCH_URL_DEFAULT } from './url';

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const rounds = Number(process.env.ROUNDS ?? 3);
const seconds = Number(process.env.SECONDS ?? 10);
const warmup = Number(process.env.WARMUP ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const pool = Number(process.env.BENCH_POOL ?? 10);
const PORTS = { service: 4201, floor: 4202, old: 4203 };

function serveFloor(port: number): void {
  const db = new pg.Pool({ connectionString: url, max: pool });
  http
    .createServer((req, res) => {
      searchFloor(db, new URL(req.url ?? '/', 'http://floor'))
        .then((body) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body))
        .catch((err: Error) => res.writeHead(500).end(err.message));
    })
    .listen(port, '127.0.0.1', () => console.log(`floor listening on ${port}`));
}

function spawnService(cwd: string, port: number, db = url): ChildProcess {
  return spawn(process.execPath, [...serviceMemoryFlags(), '--import', 'tsx', 'src/main.ts'], {
    cwd,
    env: { ...process.env, DATABASE_URL: db, PORT: String(port), DATABASE_POOL_SIZE: String(pool), PUBLIC_READ: 'true', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'error', NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

async function up(port: number): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v1/claims?q=x&limit=1`)).status < 500) return;
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing answers on ${port}`);
}

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

type Run = { rps: number; p50: number; p95: number; rss: number; errors: number };

async function measure(target: string, secs: number, pid?: number): Promise<Run> {
  let peak = 0;
  const sample = pid ? setInterval(() => (peak = Math.max(peak, rss(pid))), 250) : undefined;
  const r = await autocannon({ url: target, connections, duration: secs });
  clearInterval(sample);
  return { rps: r.requests.total / secs, p50: r.latency.p50, p95: r.latency.p97_5 ?? r.latency.p99, rss: peak, errors: r.errors + r.non2xx + r.timeouts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (process.argv[2] === 'floor') return serveFloor(PORTS.floor);
  const list = scenarios(loadDataset()).filter((s) => s.path.startsWith('/v1/claims?'));
  const root = path.resolve(__dirname, '..');
  const children: ChildProcess[] = [];
  const targets: { name: string; port: number; pid?: number }[] = [];
  const service = spawnService(root, PORTS.service);
  children.push(service);
  targets.push({ name: 'service', port: PORTS.service, pid: service.pid });
  if (process.env.OLD_SERVICE_DIR) {
    const old = spawnService(process.env.OLD_SERVICE_DIR, PORTS.old, process.env.OLD_DATABASE_URL ?? url);
    children.push(old);
    targets.push({ name: 'today', port: PORTS.old, pid: old.pid });
  }
  const floor = spawn(process.execPath, ['--import', 'tsx', __filename, 'floor'], { cwd: root, env: process.env, stdio: 'inherit' });
  children.push(floor);
  targets.push({ name: 'floor', port: PORTS.floor });
  try {
    for (const t of targets) await up(t.port);
    for (const s of list) {
      // A first (cold) request may run into the statement timeout: warm both up before comparing.
      for (const p of [PORTS.service, PORTS.floor]) await fetch(`http://127.0.0.1:${p}${s.path}`).then((r) => r.text());
      const [a, b] = await Promise.all([PORTS.service, PORTS.floor].map((p) => fetch(`http://127.0.0.1:${p}${s.path}`).then((r) => r.text())));
      const at = [...a!].findIndex((ch, i) => ch !== b![i]);
      if (a !== b) throw new Error(`${s.name}: the floor differs from the service at ${at}: …${a!.slice(Math.max(0, at - 80), at + 80)}… vs …${b!.slice(Math.max(0, at - 80), at + 80)}…`);
      console.log(`${s.name}: floor body = service body (${Buffer.byteLength(a!)} bytes)`);
    }
    const runs = new Map<string, Run[]>();
    for (let round = 0; round < rounds; round += 1) {
      for (const s of list) {
        // Each round starts with another target, so that none always runs on a warmer cache.
        const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
        for (const t of order) {
          const target = `http://127.0.0.1:${t.port}${s.path}`;
          await measure(target, warmup);
          const r = await measure(target, seconds, t.pid);
          const key = `${s.name}\u0000${t.name}`;
          runs.set(key, [...(runs.get(key) ?? []), r]);
          console.log(`round ${round + 1} ${s.name} ${t.name}: ${r.rps.toFixed(1)} req/s p50 ${r.p50} p97.5 ${r.p95} rss ${r.rss.toFixed(0)} errors ${r.errors}`);
        }
      }
    }
    console.log(`\n${connections} connections, pool ${pool}, ${rounds} interleaved rounds of ${warmup} s warm-up + ${seconds} s, medians\n`);
    console.log(`| scenario | ${targets.map((t) => `${t.name} req/s | p50 / p97.5 ms`).join(' | ')} | service / floor |${targets.some((t) => t.name === 'today') ? ' service / today |' : ''} service peak RSS MB |`);
    console.log(`|---|${targets.map(() => '---|---').join('|')}|---|${targets.some((t) => t.name === 'today') ? '---|' : ''}---|`);
    for (const s of list) {
      const of = (name: string) => runs.get(`${s.name}\u0000${name}`) ?? [];
      const rps = (name: string) => median(of(name).map((r) => r.rps));
      const cells = targets.map((t) => `${rps(t.name).toFixed(1)} | ${median(of(t.name).map((r) => r.p50))} / ${median(of(t.name).map((r) => r.p95))}`);
      const vsToday = targets.some((t) => t.name === 'today') ? ` ${(rps('service') / rps('today')).toFixed(2)} |` : '';
      console.log(`| ${s.name} | ${cells.join(' | ')} | ${(rps('service') / rps('floor')).toFixed(2)} |${vsToday} ${Math.max(...of('service').map((r) => r.rss)).toFixed(0)} |`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
