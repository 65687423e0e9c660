import type { Prisma as PrismaNS } from '../generated/prisma/client';
import type { Prisma } from './client';
import { isRetryableTransactionError } from './errors';
import { setTimeout as pause } from 'node:timers/promises';
import { transactionRetries } from '../modules/metrics/registry';

export type Tx = PrismaNS.TransactionClient;

const MAX_ATTEMPTS = 6;

/*
 * How long a transaction may wait for a connection, and run. Each statement
 * is bounded by the server's statement_timeout and lock_timeout (set on every
 * connection of the pool, see client.ts); these bound the whole.
 */
const MAX_WAIT_MS = 10_000;
const TIMEOUT_MS = 30_000;

/**
 * Runs `work` in one transaction, retrying it whole on serialization
 * failures and deadlocks (SQLSTATE 40001, 40P01), with jittered backoff.
 * `work` must therefore be safe to run again: it only touches the database.
 */
export async function inTransaction<T>(prisma: Prisma, work: (tx: Tx) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(work, { maxWait: MAX_WAIT_MS, timeout: opts.timeoutMs ?? TIMEOUT_MS });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      transactionRetries.inc();
      await pause(Math.random() * 20 * 2 ** attempt);
    }
  }
}
