import type { Config } from '../config/config';
import { readThrough, type PreparedRead, type Prisma } from '../db/client';
import type { Role } from '../generated/prisma/enums';
import type { Logger } from '../shared/logger';
import type { KeyCache } from './key-cache';
import type { ReadCache } from './read-cache';

/** What every service needs from the running application. */
export type AppContext = {
  prisma: Prisma;
  config: Config;
  logger: Logger;
  /** Named prepared reads (the hot lookups); without it they run through Prisma. */
  read?: PreparedRead;
  /** Answers of `cached` routes kept while the ledger is unchanged (off with READ_CACHE_MB=0 or with replicas). */
  readCache?: ReadCache;
  /** Keys that authenticated, kept while the ledger is unchanged (on and off with the read cache). */
  keyCache?: KeyCache;
  /** Reads the audit chain's head seq, which names the ledger's state; set when the caches are on. */
  ledgerHead?: () => Promise<string>;
};

/** The prepared reads of the application, or the same statements through Prisma (in a transaction, on PGlite). */
export const readerOf = (app: AppContext): PreparedRead => app.read ?? readThrough(app.prisma);

export type Actor = { id: string; name: string; role: Role };

/** Who is asking, and under which request id the audit log will know it. */
export type Caller = {
  actor: Actor | null;
  requestId: string;
};

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    actor: Actor | null;
    /** The chain head read for this request (see requestHead). */
    ledgerHead?: Promise<string>;
  }
}
