import type { Request } from 'express';
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
  /** What is kept while the ledger is unchanged (off with READ_CACHE_MB=0 or with replicas). */
  caches?: Caches;
};

/** Kept answers and keys, each valid at the chain head it was read at. */
export type Caches = {
  /** Answers of `cached` routes. */
  answers: ReadCache;
  /** Keys that authenticated. */
  keys: KeyCache;
  /** Reads the audit chain's head seq, which names the ledger's state. */
  head: () => Promise<string>;
};

/** The chain head as this request first read it: authentication and the answer cache share one read. */
export function requestHead(req: Request, caches: Caches): Promise<string> {
  req.ledgerHead ??= caches.head();
  return req.ledgerHead;
}

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
