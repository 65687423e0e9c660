import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { createApp } from '../src/app';
import { loadFixtures } from '../src/seed/load';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { contractCheck } from './helpers/contract';
import { readmeExamples, type Example } from './helpers/readme-blocks';
import { checkExpectation, type Answer } from './helpers/readme-expect';

/*
 * Every shell example of the README, run as a reader would paste it, in the
 * README's order, against the service seeded with the seed story (listening
 * on an ephemeral port, every answer checked against the OpenAPI document),
 * from a folder holding `.data/pglite.admin-key` (the demo key) and the
 * repository's `fixtures/`. Each curl must carry a `# … → …` comment saying
 * what it returns, and the answer must be that (helpers/readme-expect.ts).
 * A command that is not curl runs too when it is an `npm run` of a script
 * that needs no database; the others are listed in NOT_RUN with the reason.
 */

const ROOT = path.resolve(__dirname, '..');
const METRICS_TOKEN = 'readme-metrics-token-000001';

const NOT_RUN: [RegExp, string][] = [
  [/^npm ci && npm (start|test)/, 'installs, then starts the service or the whole suite: .ci/run does both (scripts/smoke-embedded.mjs starts npm start)'],
  [/^npm run break-glass /, 'writes into DATABASE_URL or the embedded data folder: tests/break-glass.test.ts runs it'],
  [/^npm run import /, 'imports into DATABASE_URL or the embedded data folder: tests/data-dir-lock.test.ts runs the command'],
  [/docker compose /, 'needs Docker, which CI does not have'],
  [/^(pg_dump|pg_basebackup) /, 'backs up a real PostgreSQL server with its superuser; bench:scale-out makes a replica with pg_basebackup'],
];

const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** `A=1; B="x y"; C=$(cat f)` and nothing else: a line that only sets variables. */
function onlyAssigns(command: string): boolean {
  let bare = command.replace(/'[^']*'|"[^"]*"/g, 'q');
  for (let before = ''; before !== bare; ) [before, bare] = [bare, bare.replace(/\$\([^()]*\)/g, 's')];
  return /^(?:[A-Za-z_]\w*=[^\s;]*(?:;\s*|\s*$))+$/.test(bare);
}

type Kind = { run: 'curl' | 'assign' | 'npm-tsx' } | { run: 'no'; reason: string };

function kindOf(e: Example): Kind {
  const skipped = NOT_RUN.find(([re]) => re.test(e.command));
  if (skipped) return { run: 'no', reason: skipped[1] };
  if (/^curl /.test(e.command)) return { run: 'curl' };
  if (onlyAssigns(e.command)) return { run: 'assign' };
  const npm = /^npm run ([\w:-]+)/.exec(e.command);
  if (npm && /^tsx \S+$/.test(scripts[npm[1]!] ?? '')) return { run: 'npm-tsx' };
  throw new Error(`README line ${e.line}: \`${e.command}\` is neither run by this test nor listed in NOT_RUN with a reason`);
}

let t: TestApp;
let server: Server;
let base: string;
let cwd: string;

beforeAll(async () => {
  t = await startTestApp({ metricsToken: METRICS_TOKEN });
  await loadFixtures(t.ctx);
  server = express().use(contractCheck).use(createApp({ db: t.db, config: t.ctx.config, logger: t.ctx.logger })).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cwd = mkdtempSync(path.join(os.tmpdir(), 'counterpoint-readme-'));
  mkdirSync(path.join(cwd, '.data'));
  writeFileSync(path.join(cwd, '.data/pglite.admin-key'), ADMIN_KEY);
  symlinkSync(path.join(ROOT, 'fixtures'), path.join(cwd, 'fixtures'));
}, 180_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(cwd, { recursive: true, force: true });
  await t.close();
});

/*
 * Runs one command in bash after the assignments the README made before it,
 * with `curl` recording the last answer's status, headers and body, and
 * `npm run <script>` running the script's tsx entry from this folder.
 */
function run(prelude: string[], command: string): Promise<Answer> {
  const out = path.join(cwd, '.answer');
  const wrappers = [
    `curl() { command curl -sS -o "${out}.body" -D "${out}.headers" -w '%{http_code}' "$@" > "${out}.status"; cat "${out}.body"; }`,
    `npm() { [ "$1" = run ] || return 99; local s="$2"; shift 2; [ "$1" = -- ] && shift; "${ROOT}/node_modules/.bin/tsx" "${ROOT}/$(node -p "require('${ROOT}/package.json').scripts['$s'].slice(4)")" "$@"; }`,
  ];
  const script = [...wrappers, ...prelude, command].join('\n');
  rmSync(`${out}.status`, { force: true });
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd, env: { ...process.env, METRICS_TOKEN, ADMIN_KEY }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const read = (f: string) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return undefined;
        }
      };
      const status = read(`${out}.status`);
      resolve({
        exitCode: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout,
        stderr,
        status: status ? Number(status) : undefined,
        headers: read(`${out}.headers`) ?? '',
        body: read(`${out}.body`) ?? '',
      });
    });
  });
}

const examples = readmeExamples(path.join(ROOT, 'README.md'));

test('the README has shell examples, and every curl among them says what it returns', () => {
  expect(examples.filter((e) => kindOf(e).run === 'curl').length).toBeGreaterThanOrEqual(25);
  const silent = examples.filter((e) => kindOf(e).run === 'curl' && !e.expect);
  expect(silent.map((e) => `line ${e.line}: ${e.command}`)).toEqual([]);
});

// In the README's order: later examples see what earlier ones wrote (the import, the reader key).
const runs: { e: Example; prelude: string[]; curl: boolean }[] = [];
{
  const prelude: string[] = [];
  for (const e of examples) {
    const kind = kindOf(e);
    if (kind.run === 'assign') prelude.push(e.command);
    else if (kind.run !== 'no') runs.push({ e, prelude: [...prelude], curl: kind.run === 'curl' });
  }
}

test.each(runs.map((r) => [`line ${r.e.line}: ${r.e.command.slice(0, 90)}`, r] as const))('README %s', async (_name, { e, prelude, curl }) => {
  const local = (c: string) => c.replaceAll('http://127.0.0.1:3000', base);
  const answer = await run(prelude.map(local), local(e.command));
  expect({ says: e.expect, wrong: checkExpectation(e.expect ?? '', answer, curl) }).toEqual({ says: e.expect, wrong: [] });
}, 120_000);
