import type { Prisma as PrismaNS } from '../generated/prisma/client';
import type { Prisma } from './client';
import { isRetryableTransactionError } from './errors';
import { setTimeout as pause } from 'node:timers/promises';
import { transactionRetries } from '../modules/metrics/registry';

export type Tx = PrismaNS.TransactionClient;

const MAX_ATTEMPTS = 6;

/**
 * Runs `work` in one transaction, retrying it whole on serialization
 * failures and deadlocks (SQLSTATE 40001, 40P01), with jittered backoff.
 * `work` must therefore be safe to run again: it only touches the database.
 */
export async function inTransaction<T>(prisma: Prisma, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
      transactionRetries.inc();
      await pause(Math.random() * 20 * 2 ** attempt);
    }
  }
}
