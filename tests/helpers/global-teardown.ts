import { rm } from 'node:fs/promises';
import { printContractTotals } from './contract-counts';
import { adminQuery, DUMP_ENV, maintenanceUrl, TEMPLATE_ENV } from './test-db';

export default async function globalTeardown(): Promise<void> {
  await printContractTotals();
  const template = process.env[TEMPLATE_ENV];
  if (maintenanceUrl() && template) await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  const dump = process.env[DUMP_ENV];
  if (dump) await rm(dump, { force: true });
}
