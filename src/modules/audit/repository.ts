import type { PreparedRead } from '../../db/client';
import type { Tx } from '../../db/transaction';

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
