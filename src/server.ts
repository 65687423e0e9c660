import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app';
import { inFlightRequests } from './http/in-flight';
import type { Config } from './config/config';
import { DataDirLockedError } from './db/data-dir-lock';
import { openDatabase } from './db/open';
import { redisLimits } from './http/rate-limit';
import type { AppContext } from './http/context';
import { stopExtracting } from './modules/claimreview/extract';
import { ensureAdminKey, generateApiKey } from './modules/keys/service';
import { generateSignerKey, parseSignerKey } from './modules/audit/signed-note';
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

/** Likewise a checkpoint signing key, beside the data folder, so the demo's checkpoints stay verifiable across restarts. */
async function demoSigningKey(config: Config): Promise<string> {
  const file = `${path.resolve(config.dataDir)}.audit-signing-key`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = generateSignerKey('counterpoint.localhost/audit');
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function start(baseConfig: Config, logger: Logger) {
  const started = Date.now();
  const { db, lock } = await openDatabase(baseConfig, logger);
  const config = { ...baseConfig, auditSigningKey: baseConfig.auditSigningKey ?? (db.kind === 'pglite' ? await demoSigningKey(baseConfig) : undefined) };
  const verifierKey = config.auditSigningKey ? parseSignerKey(config.auditSigningKey).verifierKey : undefined;
  const ctx: AppContext = { prisma: db.prisma, config, logger };
  const embedded = db.kind === 'pglite';
  if (embedded && (await db.prisma.claim.count()) === 0) {
    const report = await loadFixtures(ctx);
    logger.info('seed data loaded', report);
  }
  const adminKey = config.adminApiKey ?? (embedded ? await demoAdminKey(config) : undefined);
  if (adminKey) {
    const state = await ensureAdminKey(ctx, adminKey);
    if (state === 'revoked') {
      // Not a reason to refuse to start: other keys may work, and readers still read.
      logger.error('ADMIN_API_KEY has been revoked; it will not authenticate (it is never re-activated). Use another ADMIN key, or issue one on this host with: npm run break-glass -- --name "<who>"');
    }
  }

  const limits = config.redisUrl ? redisLimits(config.redisUrl) : undefined;
  const inFlight = inFlightRequests();
  const app = createApp({ db, config, logger, limits, inFlight });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  lock?.setUrl(url);
  logger.info('counterpoint is listening', { url, database: db.kind, startupMs: Date.now() - started, auditVerifierKey: verifierKey ?? null });
  if (config.logLevel !== 'silent') {
    const keyHint = config.adminApiKey ? '$ADMIN_API_KEY' : adminKey;
    process.stdout.write(
      `\ncounterpoint ready at ${url} (${embedded ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})\n` +
        (keyHint ? `Try:  curl -H "Authorization: Bearer ${keyHint}" ${url}/v1/claims\n` : 'Set ADMIN_API_KEY to create the first administrator key.\n') +
        (embedded && !config.adminApiKey ? `(this demo admin key is kept in ${config.dataDir}.admin-key)\n` : '') +
        (verifierKey ? `Audit checkpoints are signed by: ${verifierKey}\n` : 'Set AUDIT_SIGNING_KEY to sign audit checkpoints.\n') +
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
      // Connections are closed, but a handler whose client hung up may still be at work, and need the pool.
      await inFlight.settled();
      await limits?.close();
      await stopExtracting();
      await db.close().catch(() => undefined);
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Opens the database and serves; `config` has been checked by main.ts. */
export function run(config: Config) {
  const logger = createLogger(config.logLevel);
  start(config, logger).catch((err: unknown) => {
    if (err instanceof DataDirLockedError) {
      logger.error('failed to start', { reason: err.message, holder: err.holder });
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    logger.error('failed to start', { error: err });
    process.exit(1);
  });
}
