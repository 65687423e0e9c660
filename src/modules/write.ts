import { noteCommit } from '../db/read-scope';
import { inTransaction, type Tx } from '../db/transaction';
import type { AppContext, Caller } from '../http/context';
import { appendAuditEvents, type AuditEntry } from './audit/recorder';

export type Audit = (entry: AuditEntry) => void;

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
  const result = await inTransaction(app.prisma, async (tx) => {
    const entries: AuditEntry[] = [];
    const result = await work(tx, (e) => entries.push(e));
    await appendAuditEvents(tx, caller, entries);
    return result;
  });
  await noteCommit(app.prisma);
  return result;
}
