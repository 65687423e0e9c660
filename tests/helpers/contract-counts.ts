import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where each test worker leaves its contract counts (set by global-setup; read by global-teardown). */
export const CONTRACT_DIR_ENV = 'COUNTERPOINT_CONTRACT_DIR';

/** Prints the run's total and keeps it in .ci/out/contract.json when that folder exists. */
export async function printContractTotals(): Promise<void> {
  const dir = process.env[CONTRACT_DIR_ENV];
  if (!dir) return;
  const total = { requests: 0, responses: 0, files: 0 };
  for (const name of await readdir(dir).catch(() => [])) {
    const c = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { requests: number; responses: number };
    total.requests += c.requests;
    total.responses += c.responses;
    total.files += 1;
  }
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`\ncontract: ${total.requests} requests and ${total.responses} responses validated against the OpenAPI document (${total.files} test files)\n`);
  const out = path.resolve(__dirname, '../../.ci/out');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, `contract-${process.env.CONTRACT_RUN ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')}.json`), JSON.stringify(total));
}
