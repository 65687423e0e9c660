import { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import type { Caller } from '../../http/context';
import { canonicalJson } from '../../shared/canonical-json';
import { eventHash, GENESIS_HASH, type ChainedEvent } from './chain';
import { takeCapturedChanges, type CapturedChange } from './repository';

/**
 * What a service says it did. The rows themselves come from the change
 * capture (migration 20261201130000): an entry only names the action for
 * the row it concerns (`assertion.withdraw` rather than `assertion.update`).
 * `before`/`after` are used only for an entity no ledger table holds.
 */
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

type PendingEvent = Omit<ChainedEvent, 'seq' | 'at' | 'actorId' | 'requestId'>;

const GENERIC_ACTION: Record<string, string> = { insert: 'create', update: 'update', delete: 'delete' };

/**
 * One event per changed row: its state before the transaction and after it.
 * A row inserted and deleted again, or updated back to what it was, left
 * no trace and gets no event. The rows the service named come first (what
 * the request did), then the others in the order they changed.
 */
export function eventsFromChanges(changes: CapturedChange[], entries: AuditEntry[]): PendingEvent[] {
  const rows = new Map<string, { type: string; id: string; firstOp: string; before: unknown; after: unknown }>();
  for (const c of [...changes].sort((a, b) => a.ord - b.ord)) {
    const key = `${c.entityType}\u0000${c.entityId}`;
    const seen = rows.get(key);
    if (seen) seen.after = c.newRow;
    else rows.set(key, { type: c.entityType, id: c.entityId, firstOp: c.op, before: c.oldRow, after: c.newRow });
  }
  const named = new Map(entries.map((e) => [`${e.entityType}\u0000${e.entityId}`, e]));
  const rank = new Map([...named.keys()].map((k, i) => [k, i]));
  const ordered = [...rows].sort(([a], [b]) => (rank.get(a) ?? rank.size) - (rank.get(b) ?? rank.size));
  const events: PendingEvent[] = [];
  for (const [key, r] of ordered) {
    if (r.before === null && r.after === null) continue;
    if (r.before !== null && r.after !== null && canonicalJson(r.before) === canonicalJson(r.after)) continue;
    const op = r.before === null ? 'insert' : r.after === null ? 'delete' : 'update';
    const action = named.get(key)?.action ?? `${r.type}.${GENERIC_ACTION[op]}`;
    named.delete(key);
    events.push({ action, entityType: r.type, entityId: r.id, before: r.before, after: r.after });
  }
  for (const e of named.values()) {
    if (e.before === undefined && e.after === undefined) continue; // named a row that did not change
    events.push({ action: e.action, entityType: e.entityType, entityId: e.entityId, before: asStoredJson(e.before), after: asStoredJson(e.after) });
  }
  return events;
}

/** JSON as it will read back from JSONB: Dates become strings, undefined disappears. */
function asStoredJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const jsonColumn = (v: unknown) => (v === null ? PrismaNS.DbNull : (v as PrismaNS.InputJsonValue));

/** Appends the transaction's events to the chain inside the caller's transaction. */
export async function appendAuditEvents(tx: Tx, caller: Caller, entries: AuditEntry[]): Promise<void> {
  const pending = eventsFromChanges(await takeCapturedChanges(tx), entries);
  if (pending.length === 0) return;
  await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  for (const p of pending) {
    seq += 1;
    const event: ChainedEvent = { seq, at, actorId: caller.actor?.id ?? null, requestId: caller.requestId, ...p };
    const hash = eventHash(prevHash, event);
    await tx.auditEvent.create({
      data: { ...event, seq: BigInt(seq), at: new Date(at), before: jsonColumn(event.before), after: jsonColumn(event.after), prevHash, hash },
    });
    prevHash = hash;
  }
}
