#!/usr/bin/env node
// Smoke test of the one-command demo: `npm start` with no DATABASE_URL on a
// fresh data folder must migrate, seed and serve the ceasefire dossier with
// both sides attributed, then stop cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CEASEFIRE_CLAIM = '019a4a10-0000-7000-8000-000000000001';
const dir = mkdtempSync(path.join(os.tmpdir(), 'counterpoint-smoke-'));
const dataDir = path.join(dir, 'pglite');
const env = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
delete env.DATABASE_URL;
delete env.ADMIN_API_KEY;

const started = Date.now();
// Exactly what `npm start` runs, without npm in between, so SIGTERM reaches the server itself.
const [program, ...args] = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start.split(' ');
if (program !== 'node') throw new Error(`the start script should run node, not ${program}`);
const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no listening line within 60 s:\n${out}`)), 60_000);
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /"msg":"counterpoint is listening","url":"([^"]+)"/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  child.on('exit', (code) => reject(new Error(`server exited early with ${code}:\n${out}`)));
});
const startupMs = Date.now() - started;

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
  if (!ok) failures.push(what);
};
try {
  const key = readFileSync(`${dataDir}.admin-key`, 'utf8').trim();
  const res = await fetch(`${url}/v1/claims/${CEASEFIRE_CLAIM}`, { headers: { Authorization: `Bearer ${key}` } });
  check(res.status === 200, `GET dossier answers 200 (got ${res.status})`);
  const dossier = await res.json();
  check(dossier.positions?.affirms?.some((p) => p.party.name === 'Türkiye' && p.speaker?.name === 'Hakan Fidan'), 'Türkiye (Hakan Fidan) affirms');
  check(dossier.counterClaims?.some((c) => c.by?.name === 'Israel' && c.relation === 'COUNTERS' && c.direction === 'incoming'), 'Israel counters it');
  check(/^Türkiye \(Hakan Fidan\).* says? Israel is regularly violating the Gaza ceasefire; Israel disputes this\.$/.test(dossier.attributedSummary ?? ''), `attributed summary: ${dossier.attributedSummary}`);
  const verify = await (await fetch(`${url}/v1/audit/verify`, { headers: { Authorization: `Bearer ${key}` } })).json();
  check(verify.ok === true && verify.checked > 0, `audit chain verifies (${verify.checked} events)`);
} finally {
  child.kill('SIGTERM');
}
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
check(code === 0, `exits 0 on SIGTERM (got ${code})`);
rmSync(dir, { recursive: true, force: true });
console.log(`embedded start-up (fresh data folder, migrate + seed): ${startupMs} ms`);
console.log(`smoke: ${5 + 1 - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
