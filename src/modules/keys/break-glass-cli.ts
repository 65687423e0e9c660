import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config';
import { openDatabase } from '../../db/open';
import type { AppContext } from '../../http/context';
import { createLogger } from '../../shared/logger';
import { uuidv7 } from '../../shared/uuid';
import { serviceCaller } from '../actors/service';
import { issueKey } from './service';

/*
 * `npm run break-glass -- --name "Night desk admin"`: issues a new ADMIN key
 * straight into the database, for when no ADMIN key works any more (all
 * revoked, or ADMIN_API_KEY revoked and lost). It needs what only the host
 * has, the database itself (DATABASE_URL, or the embedded data folder), and
 * is audited like any write: a key.issue event by the actor
 * "Break-glass (command line on the host)". The key is printed once.
 */
const ACTOR = 'Break-glass (command line on the host)';

async function main() {
  const { values } = parseArgs({ options: { name: { type: 'string' } }, allowPositionals: false });
  const name = values.name?.trim();
  if (!name) {
    process.stderr.write('usage: npm run break-glass -- --name "<who the new ADMIN key is for>"\n');
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'error' : config.logLevel);
  const { db } = await openDatabase(config, logger);
  try {
    const app: AppContext = { prisma: db.prisma, config, logger };
    const caller = await serviceCaller(app, ACTOR, 'ADMIN', `break-glass-${uuidv7()}`);
    const issued = await issueKey(app, caller, { name, role: 'ADMIN' });
    process.stdout.write(
      `New ADMIN key for "${issued.name}" (id ${issued.id}); it is shown only this once:\n${issued.key}\n` +
        `Audited as key.issue by "${ACTOR}" (request ${caller.requestId}).\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`break-glass failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
