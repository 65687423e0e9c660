import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectPglite, connectPostgres } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { CONTRACT_DIR_ENV } from './contract-counts';
import { adminQuery, DUMP_ENV, maintenanceUrl, TEMPLATE_ENV, withDatabase } from './test-db';

/** Migrates once per run; every test file then clones the result. */
export default async function globalSetup(): Promise<void> {
  process.env[CONTRACT_DIR_ENV] = await mkdtemp(path.join(os.tmpdir(), 'counterpoint-contract-'));
  const base = maintenanceUrl();
  if (base) {
    const template = `cp_template_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE "${template}"`);
    const db = connectPostgres({ url: withDatabase(base, template), poolSize: 1 });
    await applyMigrations(db.sql);
    await db.close();
    process.env[TEMPLATE_ENV] = template;
    return;
  }
  const db = await connectPglite({});
  await applyMigrations(db.sql);
  const dump = await db.dumpDataDir!();
  await db.close();
  const file = path.join(os.tmpdir(), `counterpoint-test-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env[DUMP_ENV] = file;
}
