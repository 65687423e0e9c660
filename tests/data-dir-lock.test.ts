import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exitWithin, ROOT, serverEnv, spawnServer, type ServerProcess } from './helpers/server-process';

/*
 * Issue 9.1: the embedded data folder is held by one process. Real processes
 * on a temporary folder: a second server is refused and told who holds the
 * folder; a server killed with SIGKILL leaves a stale lock that the next
 * start takes over; `npm run import` while the server runs sends its work to
 * that server, so the items are visible there and survive a restart.
 */
const run = promisify(execFile);
// The children use their own embedded folder whatever the suite runs on: once (in the PGlite pass) is enough.
const embeddedOnly = process.env.DATABASE_URL ? test.skip : test;
let dir: string;
let dataDir: string;
const servers: ServerProcess[] = [];

function start(): ServerProcess {
  const s = spawnServer({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' });
  servers.push(s);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cp-lock-'));
  dataDir = path.join(dir, 'pglite');
});
afterAll(async () => {
  for (const s of servers) s.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  rmSync(dir, { recursive: true, force: true });
});

embeddedOnly('a second server on the folder is refused at once, naming the holder; kill -9, and the next start takes the stale lock; an import through the running server survives its restart', async () => {
  const first = start();
  const url = (await first.waitForLog('counterpoint is listening', 120_000)).url as string;
  const lock = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'));
  expect(lock).toEqual(expect.objectContaining({ pid: first.proc.pid, url, command: expect.stringContaining('src/main.ts') }));

  const second = start();
  const exit = await exitWithin(second, 30_000);
  expect(exit.code).toBe(1);
  expect(second.stderr()).toContain(`in use by pid ${first.proc.pid} (src/main.ts) since ${lock.since as string}, serving ${url}`);
  expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(first.proc.pid); // the refused one left it alone

  const seed = run(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], { cwd: ROOT, env: serverEnv({ DATA_DIR: dataDir }) });
  await expect(seed).rejects.toEqual(expect.objectContaining({ code: 1, stderr: expect.stringContaining(`stop the server first (kill ${first.proc.pid})`) }));

  const imported = await run(process.execPath, ['--import', 'tsx', 'src/modules/claimreview/cli.ts', 'fixtures/claimreview/single.jsonld'], {
    cwd: ROOT,
    env: serverEnv({ DATA_DIR: dataDir }),
  });
  expect(imported.stdout).toContain(`importing through it`);
  expect(imported.stdout).toMatch(/import: 1 file\(s\), 1 imported/);

  const key = readFileSync(`${dataDir}.admin-key`, 'utf8').trim();
  const importedClaims = async (base: string) => {
    const res = await fetch(`${base}/v1/exports/claimreview`, { headers: { Authorization: `Bearer ${key}` } });
    return JSON.stringify(await res.json());
  };
  const single = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/claimreview/single.jsonld'), 'utf8')) as { claimReviewed: string };
  expect(await importedClaims(url)).toContain(single.claimReviewed);

  first.kill('SIGKILL');
  await first.exited;
  expect(existsSync(`${dataDir}.lock`)).toBe(true); // a crash leaves the lock behind

  const third = start();
  const again = (await third.waitForLog('counterpoint is listening', 120_000)).url as string;
  expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8')).pid).toBe(third.proc.pid);
  expect(await importedClaims(again)).toContain(single.claimReviewed);

  third.kill('SIGTERM');
  await exitWithin(third, 30_000);
  expect(existsSync(`${dataDir}.lock`)).toBe(false); // a clean stop releases it
}, 300_000);
