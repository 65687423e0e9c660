import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { createLogger } from '../shared/logger';
import { loadFixtures } from './load';

/** `npm run seed`: loads fixtures/seed.json into DATABASE_URL (or the embedded database), idempotently. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { db } = await openDatabase(config, logger);
  try {
    const report = await loadFixtures({ prisma: db.prisma, config, logger });
    process.stdout.write(`seed: added ${JSON.stringify(report)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
