import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlRunner } from './sql-runner';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');

// The lock id `prisma migrate` itself uses, so that this runner and the
// Prisma CLI (on a machine that has it) never apply migrations at once.
const PRISMA_MIGRATE_LOCK_ID = 72707369;

type Migration = { name: string; sql: string; checksum: string };

export type MigrationReport = { applied: string[]; alreadyApplied: number };

export class MigrationError extends Error {}

/**
 * Applies `prisma/migrations/*\/migration.sql` in name order and records them in
 * the standard `_prisma_migrations` table with the same checksum Prisma uses
 * (sha256 of the file), so `prisma migrate deploy/status` agree with it.
 * Each migration runs in its own transaction; an edited, already-applied
 * migration is refused rather than silently skipped.
 */
export async function applyMigrations(pool: SqlRunner, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const migrations = await readMigrations(dir);
  return pool.session((db) => applyOnSession(db, migrations));
}

async function applyOnSession(db: SqlRunner, migrations: Migration[]): Promise<MigrationReport> {
  // The request timeouts of the pool's sessions do not apply here: a migration may rebuild a large
  // index, and an instance starting beside another one waits for the lock as long as it takes.
  await db.exec('SET statement_timeout = 0; SET lock_timeout = 0');
  try {
    return await migrateLocked(db, migrations);
  } finally {
    await db.exec('RESET statement_timeout; RESET lock_timeout');
  }
}

async function migrateLocked(db: SqlRunner, migrations: Migration[]): Promise<MigrationReport> {
  // Several instances may start at once: the lock goes first, even before the bookkeeping table.
  await db.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
  try {
    await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await db.query<{ migration_name: string; checksum: string }>(
      `SELECT "migration_name", "checksum" FROM "_prisma_migrations"
        WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
    );
    const applied = new Map(done.map((r) => [r.migration_name, r.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: 0 };
    for (const m of migrations) {
      const checksum = applied.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new MigrationError(`migration ${m.name} was modified after it was applied`);
        }
        report.alreadyApplied += 1;
        continue;
      }
      await applyOne(db, m);
      report.applied.push(m.name);
    }
    return report;
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_ID]);
  }
}

async function applyOne(db: SqlRunner, m: Migration): Promise<void> {
  await db.exec('BEGIN');
  try {
    await db.exec(m.sql);
    await db.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "applied_steps_count")
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), m.checksum, m.name],
    );
    await db.exec('COMMIT');
  } catch (err) {
    await db.exec('ROLLBACK');
    throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
  }
}

async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}
