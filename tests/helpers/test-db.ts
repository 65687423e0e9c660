import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { connectPglite, connectPostgres, type Database } from '../../src/db/client';

/*
 * Each test file gets a database of its own, already migrated:
 * - with DATABASE_URL (CI, a developer with PostgreSQL): a new database
 *   cloned from the template that global-setup migrated, dropped afterwards;
 * - without it (a machine with only Node.js): an embedded PGlite restored
 *   from the data folder global-setup migrated and dumped.
 */
export const TEMPLATE_ENV = 'COUNTERPOINT_TEST_TEMPLATE_DB';
export const DUMP_ENV = 'COUNTERPOINT_TEST_PGLITE_DUMP';

export function maintenanceUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type TestDatabase = { db: Database; url?: string; drop(): Promise<void> };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type PoolTimeouts = { poolSize?: number; poolWaitMs?: number; statementTimeoutMs?: number; lockTimeoutMs?: number };

/** `timeouts`: the pool's limits, as the service sets them from its configuration. */
export async function createTestDatabase(timeouts: PoolTimeouts = {}): Promise<TestDatabase> {
  const base = maintenanceUrl();
  if (base) {
    const template = process.env[TEMPLATE_ENV];
    if (!template) throw new Error('global-setup did not prepare a template database');
    const name = `cp_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    // Two workers cloning the same template at once can collide; retry briefly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        if (attempt >= 20) throw err;
        await pause(100 * attempt);
      }
    }
    const url = withDatabase(base, name);
    const db = connectPostgres({
      url,
      poolSize: timeouts.poolSize ?? 20,
      connectTimeoutMs: timeouts.poolWaitMs,
      statementTimeoutMs: timeouts.statementTimeoutMs,
      lockTimeoutMs: timeouts.lockTimeoutMs,
    });
    return {
      db,
      url,
      async drop() {
        await db.close();
        await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  const dump = process.env[DUMP_ENV];
  if (!dump) throw new Error('global-setup did not prepare a PGlite dump');
  const db = await connectPglite({ loadFrom: new Blob([await readFile(dump)]) });
  return { db, drop: () => db.close() };
}
