import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config';
import type { Logger } from '../shared/logger';
import { connectPglite, connectPostgres, type Database } from './client';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { isDatabaseUnavailable } from './errors';
import { applyMigrations } from './migrate';
import { setTimeout as pause } from 'node:timers/promises';

export type Opened = { db: Database; fresh: boolean; lock?: DataDirLock };

/** Migrations on start, waiting a while for a database that is still coming up (compose, k8s). */
async function migrateWhenReachable(db: Database, logger: Logger, waitMs: number) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const report = await applyMigrations(db.sql);
      if (report.applied.length) logger.info('migrations applied', { applied: report.applied });
      return report;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() > deadline) throw err;
      logger.info('waiting for the database', { reason: (err as Error).message });
      await pause(1000);
    }
  }
}

/**
 * DATABASE_URL set: that PostgreSQL server, migrated. Unset: the embedded
 * PGlite in DATA_DIR, held by this process alone (`lock`); `fresh` says it
 * was just created (and wants the seed).
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Opened> {
  if (config.databaseUrl) {
    const replicas = { urls: config.replicaUrls, maxLagMs: config.replicaMaxLagMs };
    const db = connectPostgres({
      url: config.databaseUrl,
      poolSize: config.poolSize,
      connectTimeoutMs: config.poolWaitMs,
      statementTimeoutMs: config.statementTimeoutMs,
      lockTimeoutMs: config.lockTimeoutMs,
      replicas,
    });
    await migrateWhenReachable(db, logger, 30_000);
    await db.replicas?.start();
    return { db, fresh: false };
  }
  const dataDir = path.resolve(config.dataDir);
  // Before PGlite touches the folder: a second process on it fails here, naming the holder.
  const lock = lockDataDir(dataDir);
  try {
    const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
    const db = await connectPglite({ dataDir });
    await migrateWhenReachable(db, logger, 0);
    const close = db.close.bind(db);
    db.close = async () => {
      await close();
      lock.release();
    };
    return { db, fresh, lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}
