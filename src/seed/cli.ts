import { loadConfig } from '../config/config';
import { currentHolder } from '../db/data-dir-lock';
import { openDatabase } from '../db/open';
import { createLogger } from '../shared/logger';
import { loadFixtures } from './load';

/** `npm run seed`: loads fixtures/seed.json into DATABASE_URL (or the embedded database), idempotently. */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = config.databaseUrl ? undefined : currentHolder(config.dataDir);
  if (server?.url) {
    // The server loads the seed itself when it makes a fresh folder; there is nothing to send it.
    throw new Error(
      `${config.dataDir} is held by the server at ${server.url} (pid ${server.pid}, ${server.command}, since ${server.since}), ` +
        `which loaded the seed when it created the folder. To run the seed anyway, stop the server first (kill ${server.pid}) and run it again.`,
    );
  }
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
