import { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import type { Caller } from '../../http/context';
import { eventHash, GENESIS_HASH, type ChainedEvent } from './chain';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

// One lock for the whole chain: appends are serialised so that seq stays
// gap-free and every event hashes over the one before it. The lock is held
// only from the append to the commit, because services append last.
export const AUDIT_CHAIN_LOCK = 0x636f756e;

/** JSON as it will read back from JSONB: Dates become strings, undefined disappears. */
function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** Appends events to the chain inside the caller's transaction. */
export async function appendAuditEvents(tx: Tx, caller: Caller, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (const entry of entries) {
    seq += 1;
    const event: ChainedEvent = {
      seq,
      at: new Date().toISOString(),
      actorId: caller.actor?.id ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      requestId: caller.requestId,
      before: asStoredJson(entry.before),
      after: asStoredJson(entry.after),
    };
    const hash = eventHash(prevHash, event);
    await tx.auditEvent.create({
      data: {
        ...event,
        seq: BigInt(seq),
        at: new Date(event.at),
        before: event.before === null ? PrismaNS.DbNull : (event.before as PrismaNS.InputJsonValue),
        after: event.after === null ? PrismaNS.DbNull : (event.after as PrismaNS.InputJsonValue),
        prevHash,
        hash,
      },
    });
    prevHash = hash;
  }
}
