import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/*
 * .ci/crashed-suites.mjs decides which files CI runs a second time: only
 * files whose jest worker was killed by a signal, and only when nothing
 * else failed. A failing assertion must never get a second chance.
 */
const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../.ci/crashed-suites.mjs');
const KILLED =
  '  ● Test suite failed to run\n\n    A jest worker process (pid=4236) was terminated by another process: signal=SIGABRT, exitCode=null. Operating system logs may contain more information on why this occurred.';

type Result = { name: string; status: 'passed' | 'failed'; message: string; assertionResults: { status: string }[] };
const passed = (name: string): Result => ({ name, status: 'passed', message: '', assertionResults: [{ status: 'passed' }] });
const killed = (name: string): Result => ({ name, status: 'failed', message: KILLED, assertionResults: [] });
const failing = (name: string): Result => ({ name, status: 'failed', message: '  ● a test › expect(received).toBe(expected)', assertionResults: [{ status: 'failed' }] });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ci-crashed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function decide(results: Result[] | undefined): Promise<{ code: number; files: string[] }> {
  const file = path.join(dir, `report-${Math.random()}.json`);
  if (results) {
    const numFailedTests = results.reduce((n, r) => n + r.assertionResults.filter((a) => a.status === 'failed').length, 0);
    await writeFile(file, JSON.stringify({ numFailedTests, testResults: results }));
  }
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, file]);
    return { code: 0, files: stdout.split('\n').filter(Boolean) };
  } catch (err) {
    return { code: (err as { code: number }).code, files: [] };
  }
}

test('files whose worker was killed by a signal, when nothing else failed, are named for a second run', async () => {
  expect(await decide([passed('/p/a.test.ts'), killed('/p/b.test.ts'), killed('/p/c.test.ts')])).toEqual({ code: 0, files: ['/p/b.test.ts', '/p/c.test.ts'] });
});

test('a failing assertion anywhere in the run means no second run, even beside a crash', async () => {
  expect(await decide([failing('/p/a.test.ts')])).toEqual({ code: 1, files: [] });
  expect(await decide([killed('/p/b.test.ts'), failing('/p/a.test.ts')])).toEqual({ code: 1, files: [] });
});

test('a file that failed to run for another reason (a syntax error, a failed beforeAll) is not run again', async () => {
  const broken: Result = { name: '/p/d.test.ts', status: 'failed', message: '  ● Test suite failed to run\n\n    SyntaxError: Unexpected token', assertionResults: [] };
  expect(await decide([broken])).toEqual({ code: 1, files: [] });
  expect(await decide([killed('/p/b.test.ts'), broken])).toEqual({ code: 1, files: [] });
});

test('a run with no failure, or no report at all (jest itself died), asks for nothing', async () => {
  expect(await decide([passed('/p/a.test.ts')])).toEqual({ code: 1, files: [] });
  expect(await decide(undefined)).toEqual({ code: 1, files: [] });
});
