import { AsyncLocalStorage } from 'node:async_hooks';
import { readThrough, type Prisma } from '../db/client';
import { isRetryableTransactionError } from '../db/errors';
import { noteCommit } from '../db/read-scope';
import { inTransaction, type Tx } from '../db/transaction';
import type { AppContext, Caller } from '../http/context';
import { appendAuditEvents, type AuditEntry } from './audit/recorder';
import { refreshStaleHits } from './claims/hits';

export type Audit = (entry: AuditEntry) => void;

/**
 * A transaction that spans a whole request (an idempotent POST): every
 * write() made while it is open joins it instead of committing on its own.
 */
type RequestTransaction = {
  tx: Tx;
  /** Audit entries of the writes that succeeded, appended together just before commit. */
  pending: { caller: Caller; entries: AuditEntry[] }[];
  savepoints: number;
  /** A joined write hit a serialization failure or deadlock: the whole request must run again. */
  mustRetry: boolean;
};

const requestTransaction = new AsyncLocalStorage<RequestTransaction>();

/** Thrown to make inTransaction run the whole request again (it carries SQLSTATE 40001). */
class RetryRequest extends Error {
  readonly code = '40001';
}

/**
 * A write inside the request's transaction, under a savepoint of its own: a
 * write that fails rolls back alone (a ClaimReview import keeps the items
 * before a rejected one), exactly as it would have in a transaction of its own.
 */
async function joinRequest<T>(rt: RequestTransaction, caller: Caller, work: (tx: Tx, audit: Audit) => Promise<T>): Promise<T> {
  const savepoint = `write_${(rt.savepoints += 1)}`;
  await rt.tx.$executeRawUnsafe(`SAVEPOINT ${savepoint}`);
  try {
    const entries: AuditEntry[] = [];
    const result = await work(rt.tx, (e) => entries.push(e));
    await refreshStaleHits(rt.tx);
    await rt.tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${savepoint}`);
    rt.pending.push({ caller, entries });
    return result;
  } catch (err) {
    if (isRetryableTransactionError(err)) rt.mustRetry = true;
    else await rt.tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    throw err;
  }
}

/**
 * Every write goes through here: the change and its audit event commit
 * together or not at all. Events are appended after the change, just before
 * commit, so the chain lock is held for as short a time as possible.
 */
export async function write<T>(
  app: AppContext,
  caller: Caller,
  work: (tx: Tx, audit: Audit) => Promise<T>,
): Promise<T> {
  const joined = requestTransaction.getStore();
  if (joined) return joinRequest(joined, caller, work);
  const result = await inTransaction(app.prisma, async (tx) => {
    const entries: AuditEntry[] = [];
    const result = await work(tx, (e) => entries.push(e));
    // The search hits this write changed are presented again before it commits.
    await refreshStaleHits(tx);
    await appendAuditEvents(tx, caller, entries);
    return result;
  });
  await noteCommit(app.prisma);
  return result;
}

/**
 * Runs a whole request in one transaction: `run` gets the transaction and a
 * context whose reads and write() calls all go through it, so whatever it
 * stores beside the request's writes (the idempotency record) commits with
 * them, or not at all. The audit events of its writes are appended last.
 * On a serialization failure or deadlock the whole request runs again.
 */
export async function writeRequest<T>(app: AppContext, run: (tx: Tx, app: AppContext) => Promise<T>): Promise<T> {
  const result = await inTransaction(
    app.prisma,
    async (tx) => {
      const rt: RequestTransaction = { tx, pending: [], savepoints: 0, mustRetry: false };
      const result = await requestTransaction.run(rt, async () => {
        try {
          return await run(tx, { ...app, prisma: tx as unknown as Prisma, read: readThrough(tx) });
        } finally {
          if (rt.mustRetry) throw new RetryRequest('a write of this request must run again');
        }
      });
      for (const { caller, entries } of rt.pending) await appendAuditEvents(tx, caller, entries);
      return result;
    },
    { timeoutMs: 120_000 },
  );
  await noteCommit(app.prisma);
  return result;
}
