import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config/config';
import { openDatabase } from './db/open';
import { redisLimits } from './http/rate-limit';
import type { AppContext } from './http/context';
import { ensureAdminKey, generateApiKey } from './modules/keys/service';
import { loadFixtures } from './seed/load';
import { createLogger, type Logger } from './shared/logger';

/**
 * In the embedded demo without ADMIN_API_KEY, an admin key is made once and
 * kept beside the data folder, so a new user has a key to try the API with.
 */
async function demoAdminKey(config: Config): Promise<string> {
  const file = `${path.resolve(config.dataDir)}.admin-key`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = generateApiKey();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function start(config: Config, logger: Logger) {
  const started = Date.now();
  const { db } = await openDatabase(config, logger);
  const ctx: AppContext = { prisma: db.prisma, config, logger };
  const embedded = db.kind === 'pglite';
  if (embedded && (await db.prisma.claim.count()) === 0) {
    const report = await loadFixtures(ctx);
    logger.info('seed data loaded', report);
  }
  const adminKey = config.adminApiKey ?? (embedded ? await demoAdminKey(config) : undefined);
  if (adminKey) {
    const state = await ensureAdminKey(ctx, adminKey);
    if (state === 'revoked') logger.error('ADMIN_API_KEY has been revoked; it will not authenticate');
  }

  const limits = config.redisUrl ? redisLimits(config.redisUrl) : undefined;
  const app = createApp({ db, config, logger, limits });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('counterpoint is listening', { url, database: db.kind, startupMs: Date.now() - started });
  if (config.logLevel !== 'silent') {
    const keyHint = config.adminApiKey ? '$ADMIN_API_KEY' : adminKey;
    process.stdout.write(
      `\ncounterpoint ready at ${url} (${embedded ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})\n` +
        (keyHint ? `Try:  curl -H "Authorization: Bearer ${keyHint}" ${url}/v1/claims\n` : 'Set ADMIN_API_KEY to create the first administrator key.\n') +
        (embedded && !config.adminApiKey ? `(this demo admin key is kept in ${config.dataDir}.admin-key)\n` : '') +
        '\n',
    );
  }

  // SIGTERM: stop accepting, let requests in flight finish, then close the database.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting with requests still open');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(async () => {
      await limits?.close();
      await db.close().catch(() => undefined);
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
start(config, logger).catch((err: unknown) => {
  logger.error('failed to start', { error: err });
  process.exit(1);
});
