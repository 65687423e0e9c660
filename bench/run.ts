/*
 * Load scenarios against the service and, beside each, its FLOOR (floor.ts):
 * first each scenario's body is fetched from both and must be the same,
 * byte for byte (the run stops otherwise); then, per scenario, a warm-up of
 * each and BENCH_ROUNDS interleaved rounds (service then floor, floor then
 * service, …) of autocannon at 32 connections, so that both see the same
 * noise of a shared machine. Printed: medians over the rounds of req/s and
 * p50/p95/p99 (from every response time), the median of the rounds' ratios,
 * and the service's peak RSS (VmRSS of its process) under load.
 *
 *   tsx bench/run.ts            (after bench/generate.ts)
 *   BENCH_DURATION=15 BENCH_WARMUP=5 BENCH_ROUNDS=3 BENCH_CONNECTIONS=32 BENCH_POOL=10
 *   BENCH_SCENARIOS=0,4,5       (only these, by index in scenarios.ts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { serviceMemoryFlags } from './memory-flags';
import { loadDataset, scenarios } from './scenarios';
import { BENCH_URL_DEFAULT } from './url';

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const duration = Number(process.env.BENCH_DURATION ?? 15);
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const pool = String(process.env.BENCH_POOL ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.env.BENCH_SCENARIOS?.split(',').map(Number);
const SERVICE_PORT = Number(process.env.BENCH_SERVICE_PORT ?? 3901);
const FLOOR_PORT = Number(process.env.BENCH_FLOOR_PORT ?? 3902);
const root = path.resolve(__dirname, '..');

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

type Result = { rps: number; p50: number; p95: number; p99: number; errors: number; rss?: number };

async function load(target: string, seconds: number, pid?: number): Promise<Result> {
  const times: number[] = [];
  let peak = 0;
  const sampler = pid ? setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250) : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: target, connections, duration: seconds }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  if (sampler) clearInterval(sampler);
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return {
    rps: result.requests.total / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors: result.errors + result.non2xx + result.timeouts,
    ...(pid && { rss: peak }),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The floor must answer what the service answers, byte for byte: otherwise the comparison means nothing. */
async function sameBody(name: string, service: string, floor: string): Promise<void> {
  await Promise.all([service, floor].map((u) => fetch(u).then((r) => r.arrayBuffer()))); // a cold cache may time a first search out
  const [a, b] = await Promise.all([service, floor].map(async (u) => {
    const res = await fetch(u);
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  }));
  if (a!.status !== 200) throw new Error(`${name}: the service answers ${a!.status}: ${a!.body.toString().slice(0, 300)}`);
  if (a!.status === b!.status && a!.body.equals(b!.body)) return;
  let at = 0;
  while (at < a!.body.length && a!.body[at] === b!.body[at]) at += 1;
  const around = (x: Buffer) => x.subarray(Math.max(0, at - 80), at + 80).toString();
  throw new Error(`${name}: the floor's answer differs from the service's (status ${a!.status}/${b!.status}, ${a!.body.length}/${b!.body.length} bytes, first difference at byte ${at}):\n  service: …${around(a!.body)}…\n  floor:   …${around(b!.body)}…`);
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number) => n.toFixed(1);

async function main() {
  const dataset = loadDataset();
  const list = scenarios(dataset);
  const service = await start(['src/main.ts'], {
    DATABASE_URL: url,
    PORT: String(SERVICE_PORT),
    DATABASE_POOL_SIZE: pool,
    PUBLIC_READ: 'true',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    // The memory flags of `npm start` (see RESULTS.md): V8 otherwise grows the heap lazily under load.
    NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...serviceMemoryFlags(process.env.BENCH_HEAP_MB ? Number(process.env.BENCH_HEAP_MB) : undefined)].join(' ').trim(),
  }, /listening|ready/);
  // The service logs nothing at LOG_LEVEL=error; wait for its port instead.
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${SERVICE_PORT}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const floor = await start(['bench/floor.ts'], { BENCH_DATABASE_URL: url, FLOOR_PORT: String(FLOOR_PORT), DATABASE_POOL_SIZE: pool }, /floor listening/);
  const rows: string[] = [];
  const idle = rssMb(service.pid!);
  try {
    const chosen = list.filter((_s, i) => !only || only.includes(i));
    for (const s of chosen) await sameBody(s.name, `http://127.0.0.1:${SERVICE_PORT}${s.path}`, `http://127.0.0.1:${FLOOR_PORT}${s.path}`);
    for (const s of chosen) {
      const svc = `http://127.0.0.1:${SERVICE_PORT}${s.path}`;
      const flr = `http://127.0.0.1:${FLOOR_PORT}${s.path}`;
      await load(svc, warmup);
      await load(flr, warmup);
      const a: Result[] = [];
      const b: Result[] = [];
      for (let r = 0; r < rounds; r += 1) {
        if (r % 2 === 0) {
          a.push(await load(svc, duration, service.pid));
          b.push(await load(flr, duration));
        } else {
          b.push(await load(flr, duration));
          a.push(await load(svc, duration, service.pid));
        }
      }
      const m = (rs: Result[], k: keyof Result) => median(rs.map((x) => x[k] ?? 0));
      const ratio = median(a.map((x, i) => x.rps / b[i]!.rps));
      const errors = `${a.reduce((n, x) => n + x.errors, 0)}/${b.reduce((n, x) => n + x.errors, 0)}`;
      const perRound = a.map((x, i) => `${fmt(x.rps)}/${fmt(b[i]!.rps)}`).join(', ');
      const row = `| ${s.name} | ${fmt(m(a, 'rps'))} | ${ms(m(a, 'p50'))} | ${ms(m(a, 'p95'))} | ${ms(m(a, 'p99'))} | ${fmt(m(b, 'rps'))} | ${ms(m(b, 'p50'))} | ${ms(m(b, 'p95'))} | ${ms(m(b, 'p99'))} | ${ratio.toFixed(2)} | ${perRound} | ${fmt(Math.max(...a.map((x) => x.rss!)))} | ${errors} |`;
      console.log(row);
      rows.push(row);
    }
  } finally {
    service.kill('SIGTERM');
    floor.kill('SIGTERM');
  }
  const header = [
    `Dataset: ${JSON.stringify(dataset)}`,
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, node ${process.version}`,
    `Load: autocannon, ${connections} connections, ${warmup} s warm-up each, then ${rounds} interleaved rounds of ${duration} s per target (medians); pool ${pool}; service idle RSS ${fmt(idle)} MB`,
    '',
    '| scenario | service req/s | p50 ms | p95 ms | p99 ms | floor req/s | floor p50 | floor p95 | floor p99 | ratio (median of rounds) | rounds svc/floor req/s | service peak RSS MB | errors svc/floor |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const report = [...header, ...rows, ''].join('\n');
  await writeFile(path.join(__dirname, '.last-run.md'), report);
  console.log(`\n${report}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
