// Reads a jest --json report. When every failed file failed because its jest
// worker process was killed by a signal (the runtime crashed: no assertion
// ran, none failed), prints those files, one per line, and exits 0; .ci/run
// then runs them once more, each in a fresh process. Any other failure, or no
// crash at all, exits 1: a failing assertion is never run twice.
import { existsSync, readFileSync } from 'node:fs';

// No report: jest's own process died, and nothing says which files ran.
if (!existsSync(process.argv[2])) process.exit(1);
const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const failed = report.testResults.filter((r) => r.status === 'failed');
const killed = (r) =>
  r.assertionResults.every((a) => a.status !== 'failed') && /jest worker process \(pid=\d+\) was terminated by another process: signal=\w+/.test(r.message ?? '');
if (failed.length === 0 || !failed.every(killed)) process.exit(1);
for (const r of failed) process.stdout.write(`${r.name}\n`);
