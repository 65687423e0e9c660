/*
 * Where the service's time goes under load: starts it with --cpu-prof, loads
 * one scenario for a while, stops it, and prints the functions with the most
 * self time, grouped by package.
 *
 *   tsx bench/profile.ts [scenario index, default 0] [seconds, default 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadDataset, scenarios } from './scenarios';
import { BENCH_URL_DEFAULT } from './url';

const port = Number(process.env.PROFILE_PORT ?? 3903);

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number };

async function main() {
  const index = Number(process.argv[2] ?? 0);
  const seconds = Number(process.argv[3] ?? 10);
  const scenario = scenarios(loadDataset())[index]!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-prof-'));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, DATABASE_URL: process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT, PORT: String(port), PUBLIC_READ: 'true', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'error', NODE_ENV: 'production', DATABASE_POOL_SIZE: '10' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await autocannon({ url: `http://127.0.0.1:${port}${scenario.path}`, connections: 32, duration: seconds });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: Node[] };
  const total = profile.nodes.reduce((n, x) => n + x.hitCount, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const n of profile.nodes) {
    const url = n.callFrame.url;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? `src/${url.split('/src/')[1]!.split('/').slice(0, 2).join('/')}` : url ? 'node internals' : n.callFrame.functionName || '(native)');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n.hitCount);
  }
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`);
  console.log(`${scenario.name}: self time by package\n${top(byPackage, 15).join('\n')}\n\ntop functions\n${top(byFunction, 20).join('\n')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
