import { loadConfig } from '../config/config';
import { openDatabase } from './open';
import { createLogger } from '../shared/logger';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function main() {
  const config = loadConfig();
  const { db } = await openDatabase(config, createLogger(config.logLevel));
  await db.close();
  process.stdout.write('migrations are up to date\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
