import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import { canonicalJson } from '../../shared/canonical-json';
import { eventsByEntity, type EntityCursor } from './repository';
import { emptyState, LEDGER_TABLE_NAMES, type LedgerRow, type LedgerState } from './tables';

type Db = Tx | Prisma;

/** What replay needs of an event: which row it names, in which order, and the row's state around it. */
export type ReplayEvent = { seq: number; entityType: string; entityId: string; before: unknown; after: unknown };

export type ReplayStats = {
  events: number;
  entities: number;
  /** The first event whose `before` is not the state its predecessors left: the chain contradicts itself there. */
  firstInconsistentSeq: number | null;
};

/**
 * Applies one event to the state. Every event holds the whole row after the
 * change (null once deleted), so the state of an entity is what its latest
 * event says; `before` must be what the previous one said.
 */
export function applyEvent(state: LedgerState, e: ReplayEvent): boolean {
  const rows = state.get(e.entityType);
  if (!rows) return true; // not a ledger row (an event from before full-state events)
  const current = rows.get(e.entityId) ?? null;
  const consistent = canonicalJson(current) === canonicalJson(e.before ?? null);
  if (e.after === null || e.after === undefined) rows.delete(e.entityId);
  else rows.set(e.entityId, e.after as LedgerRow);
  return consistent;
}

export function foldEvents(events: Iterable<ReplayEvent>, state: LedgerState = emptyState()) {
  let firstInconsistentSeq: number | null = null;
  for (const e of events) {
    if (!applyEvent(state, e) && firstInconsistentSeq === null) firstInconsistentSeq = e.seq;
  }
  return { state, firstInconsistentSeq };
}

const BATCH = 5000;
const LEDGER_TABLES = new Set(LEDGER_TABLE_NAMES);

/**
 * Rebuilds the ledger from the events alone, streaming: the chain is read
 * entity by entity (each event holds the whole row, so an entity's state
 * depends only on its own events), and each entity's final row is handed
 * to `onEntity` as soon as its events are folded. Memory holds one batch,
 * whatever the chain's length. `untilSeq` replays the ledger as it stood then.
 */
export async function replayLedger(
  db: Db,
  onEntity: (entityType: string, entityId: string, row: LedgerRow) => void | Promise<void>,
  { untilSeq }: { untilSeq?: number } = {},
): Promise<ReplayStats> {
  const stats: ReplayStats = { events: 0, entities: 0, firstInconsistentSeq: null };
  const until = String(untilSeq ?? Number.MAX_SAFE_INTEGER);
  let cursor: EntityCursor = ['', '', '0'];
  let open: { type: string; id: string; row: LedgerRow | null } | null = null;
  const close = async () => {
    if (open?.row) {
      stats.entities += 1;
      await onEntity(open.type, open.id, open.row);
    }
  };
  for (;;) {
    const rows = await eventsByEntity(db, cursor, until, BATCH);
    for (const r of rows) {
      if (!LEDGER_TABLES.has(r.entity_type)) continue; // not a ledger row (an event from before full-state events)
      if (!open || open.type !== r.entity_type || open.id !== r.entity_id) {
        await close();
        open = { type: r.entity_type, id: r.entity_id, row: null };
      }
      stats.events += 1;
      const before = r.before === null ? null : JSON.parse(r.before);
      if (canonicalJson(open.row) !== canonicalJson(before)) {
        stats.firstInconsistentSeq = Math.min(stats.firstInconsistentSeq ?? Infinity, Number(r.seq));
      }
      open.row = r.after === null ? null : JSON.parse(r.after);
    }
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1]!;
    cursor = [last.entity_type, last.entity_id, last.seq];
  }
  await close();
  return stats;
}

/** The whole replayed ledger in memory (tests, small ledgers). */
export async function replayToState(db: Db, opts: { untilSeq?: number } = {}) {
  const state = emptyState();
  const stats = await replayLedger(db, (type, id, row) => void state.get(type)!.set(id, row), opts);
  return { state, stats };
}
