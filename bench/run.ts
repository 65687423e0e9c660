/*
 * Load scenarios against the service and, beside each, its FLOOR (floor.ts):
 * autocannon, 32 connections, a warm-up, then a measured run; requests/s,
 * p50/p95/p99 from every response time, the ratio to the floor, and the
 * service's peak RSS (VmRSS of its process) while under load.
 *
 *   tsx bench/run.ts            (after bench/generate.ts)
 *   BENCH_DURATION=15 BENCH_WARMUP=5 BENCH_CONNECTIONS=32 BENCH_POOL=10
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadDataset, scenarios } from './scenarios';
import { BENCH_URL_DEFAULT } from './url';

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const duration = Number(process.env.BENCH_DURATION ?? 15);
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const pool = String(process.env.BENCH_POOL ?? 10);
const SERVICE_PORT = 3901;
const FLOOR_PORT = 3902;
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
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    // A heap limit, as deployed (see RESULTS.md): V8 otherwise grows the heap lazily under load.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${process.env.BENCH_HEAP_MB ?? 192}`.trim(),
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
    for (const s of list) {
      const svc = `http://127.0.0.1:${SERVICE_PORT}${s.path}`;
      const flr = `http://127.0.0.1:${FLOOR_PORT}${s.path}`;
      await load(svc, warmup);
      const a = await load(svc, duration, service.pid);
      await load(flr, warmup);
      const b = await load(flr, duration);
      const row = `| ${s.name} | ${fmt(a.rps)} | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(a.p99)} | ${fmt(b.rps)} | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | ${(a.rps / b.rps).toFixed(2)} | ${fmt(a.rss!)} | ${a.errors}/${b.errors} |`;
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
    `Load: autocannon, ${connections} connections, ${warmup} s warm-up + ${duration} s measured per target; pool ${pool}; service idle RSS ${fmt(idle)} MB`,
    '',
    '| scenario | service req/s | p50 ms | p95 ms | p99 ms | floor req/s | floor p50 | floor p95 | floor p99 | ratio | service peak RSS MB | errors svc/floor |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const report = [...header, ...rows, ''].join('\n');
  await writeFile(path.join(__dirname, '.last-run.md'), report);
  console.log(`\n${report}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
