import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectPglite, connectPostgres, type Database } from '../src/db/client';
import { applyMigrations, MigrationError, MIGRATIONS_DIR } from '../src/db/migrate';
import { adminQuery, maintenanceUrl, withDatabase } from './helpers/test-db';

const onServer = Boolean(maintenanceUrl());
const created: string[] = [];

/** An empty database: no template, nothing migrated. */
async function emptyDatabase(): Promise<Database> {
  if (!onServer) return connectPglite({});
  const name = `cp_migrate_${process.pid}_${created.length}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  created.push(name);
  return connectPostgres({ url: withDatabase(maintenanceUrl()!, name), poolSize: 4 });
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cp-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

afterAll(async () => {
  for (const name of created) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe('the migration runner', () => {
  let db: Database;
  beforeAll(async () => {
    db = await emptyDatabase();
  });
  afterAll(() => db.close());

  test('applies every migration once and records Prisma checksums', async () => {
    const first = await applyMigrations(db.sql);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    const second = await applyMigrations(db.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });

    const rows = await db.sql.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name',
    );
    for (const row of rows) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
  });

  test('refuses to continue when an applied migration was edited', async () => {
    const dir = copyOfMigrations();
    try {
      const init = path.join(dir, '20261125000000_init', 'migration.sql');
      writeFileSync(init, `${readFileSync(init, 'utf8')}\n-- edited\n`);
      await expect(applyMigrations(db.sql, dir)).rejects.toThrow(MigrationError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rolls a failing migration back whole and does not record it', async () => {
    const dir = copyOfMigrations();
    try {
      mkdirSync(path.join(dir, '29990101000000_broken'));
      writeFileSync(
        path.join(dir, '29990101000000_broken', 'migration.sql'),
        'CREATE TABLE "half_done" (x int);\nSELECT * FROM "no_such_table";\n',
      );
      await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/29990101000000_broken/);
      const tables = await db.sql.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
      expect(tables).toHaveLength(0);
      const recorded = await db.sql.query("SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'");
      expect(recorded).toHaveLength(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

(onServer ? test : test.skip)('instances starting at once apply each migration exactly once', async () => {
  // Only a server has several connections; PGlite is a single one.
  const first = await emptyDatabase();
  const name = created[created.length - 1]!;
  const others = [1, 2, 3].map(() => connectPostgres({ url: withDatabase(maintenanceUrl()!, name), poolSize: 2 }));
  try {
    const reports = await Promise.all([first, ...others].map((d) => applyMigrations(d.sql)));
    const appliedTotal = reports.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedTotal).toBe(reports[0]!.applied.length + reports[0]!.alreadyApplied);
    const rows = await first.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM _prisma_migrations');
    expect(Number(rows[0]!.n)).toBe(appliedTotal);
  } finally {
    await Promise.all([first, ...others].map((d) => d.close()));
  }
});
