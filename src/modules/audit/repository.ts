import type { PreparedRead, Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { StoredEvent } from './chain';

/** The seq of the chain's newest committed event ("0" before the first): it names the ledger's state. */
export async function chainHeadSeq(read: PreparedRead): Promise<string> {
  const rows = await read<{ seq: string }>('cp_chain_head_seq', 'SELECT coalesce(max("seq"), 0)::text AS "seq" FROM "audit_event"', []);
  return rows[0]?.seq ?? '0';
}

/** A row change the capture trigger recorded in this transaction. */
export type CapturedChange = {
  ord: number;
  entityType: string;
  entityId: string;
  op: 'insert' | 'update' | 'delete';
  oldRow: Record<string, unknown> | null;
  newRow: Record<string, unknown> | null;
};

type Row = { ord: string; entity_type: string; entity_id: string; op: CapturedChange['op']; old_row: string | null; new_row: string | null };

/** The rows this transaction changed, taken out of the capture table. */
export async function takeCapturedChanges(tx: Tx): Promise<CapturedChange[]> {
  const rows = await tx.$queryRawUnsafe<Row[]>(
    `DELETE FROM "audit_change" WHERE "txid" = txid_current()
     RETURNING "ord"::text AS "ord", "entity_type", "entity_id", "op", "old_row"::text AS "old_row", "new_row"::text AS "new_row"`,
  );
  return rows.map((r) => ({
    ord: Number(r.ord),
    entityType: r.entity_type,
    entityId: r.entity_id,
    op: r.op,
    oldRow: r.old_row === null ? null : JSON.parse(r.old_row),
    newRow: r.new_row === null ? null : JSON.parse(r.new_row),
  }));
}

/** A chain event with the name and role of the actor who caused it. */
export type ActorNamedEvent = StoredEvent & { actorName: string | null; actorRole: string | null };

type EventRow = {
  seq: string; at: string; actor_id: string | null; actor_name: string | null; actor_role: string | null; action: string; entity_type: string;
  entity_id: string; request_id: string | null; before: string | null; after: string | null; prev_hash: string; hash: string;
};

// Plain text columns, parsed here: a report walks millions of rows, and the
// fewer objects each one makes, the flatter the service's memory stays.
const EVENTS_PAGE_SQL = `
SELECT e."seq"::text AS "seq", to_char(e."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at",
       e."actor_id"::text AS "actor_id", a."name" AS "actor_name", a."role"::text AS "actor_role", e."action", e."entity_type", e."entity_id", e."request_id",
       e."before"::text AS "before", e."after"::text AS "after", e."prev_hash", e."hash"
FROM "audit_event" e LEFT JOIN "actor" a ON a."id" = e."actor_id"
WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
ORDER BY e."seq" LIMIT $3::int`;

/** The chain's events after `afterSeq` and up to `untilSeq`, in seq order, at most `limit` of them. */
export async function reportEventsPage(db: Prisma, afterSeq: number, untilSeq: number, limit: number): Promise<ActorNamedEvent[]> {
  const rows = await db.$queryRawUnsafe<EventRow[]>(EVENTS_PAGE_SQL, String(afterSeq), String(untilSeq), limit);
  return rows.map((r) => ({
    seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, actorRole: r.actor_role, action: r.action, entityType: r.entity_type,
    entityId: r.entity_id, requestId: r.request_id, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after),
    prevHash: r.prev_hash, hash: r.hash,
  }));
}
