import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { AuditEvent } from '../../generated/prisma/client';
import { toStoredEvent } from '../audit/service';
import type { StoredEvent } from '../audit/chain';

type Db = Tx | Prisma;

const COLUMNS = `"seq", "at", "actor_id" AS "actorId", "action", "entity_type" AS "entityType", "entity_id" AS "entityId",
  "request_id" AS "requestId", "before", "after", "prev_hash" AS "prevHash", "hash"`;

const REFS = `"audit_refs"("entity_type", "entity_id", "before", "after")`;

async function select(db: Db, where: string, params: unknown[], limit?: number): Promise<StoredEvent[]> {
  const rows = await db.$queryRawUnsafe<AuditEvent[]>(
    `SELECT ${COLUMNS} FROM "audit_event" WHERE ${where} ORDER BY "seq"${limit ? ` LIMIT ${limit}` : ''}`,
    ...params,
  );
  return rows.map((r) => toStoredEvent({ ...r, at: new Date(r.at) }));
}

/** Events whose rows name any of these claims or reviews (by id, claim_id, review_id, relation ends, merge target). */
export function eventsReferring(db: Db, ids: string[], untilSeq: number, afterSeq = 0, limit?: number) {
  return select(db, `${REFS} && $1::text[] AND "seq" > $2::bigint AND "seq" <= $3::bigint`, [ids, afterSeq, untilSeq], limit);
}

/** Every event of these entities of one type, up to a seq. */
export function eventsOfEntities(db: Db, entityType: string, ids: string[], untilSeq: number) {
  if (ids.length === 0) return Promise.resolve([]);
  return select(db, `"entity_type" = $1 AND "entity_id" = ANY($2::text[]) AND "seq" <= $3::bigint`, [entityType, ids, untilSeq]);
}

/** The last seq written at or before an instant (0 before the first event). */
export async function seqAt(db: Db, instant: Date): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ seq: string | null }[]>(`SELECT max("seq")::text AS "seq" FROM "audit_event" WHERE "at" <= $1`, instant);
  return Number(row?.seq ?? 0);
}

export async function headSeq(db: Db): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ seq: string | null }[]>(`SELECT max("seq")::text AS "seq" FROM "audit_event"`);
  return Number(row?.seq ?? 0);
}

/** An event as replay reads it: the row it names and that row's state before and after, as JSON text. */
export type EntityEventRow = { entity_type: string; entity_id: string; seq: string; before: string | null; after: string | null };
/** Where a walk in entity order stands: the last (entity type, entity id, seq) read. */
export type EntityCursor = [entityType: string, entityId: string, seq: string];

/** The next events in (entity type, entity id, seq) order after the cursor, up to a seq. */
export function eventsByEntity(db: Db, after: EntityCursor, untilSeq: string, limit: number): Promise<EntityEventRow[]> {
  return db.$queryRawUnsafe<EntityEventRow[]>(
    `SELECT e."entity_type", e."entity_id", e."seq"::text AS "seq", e."before"::text AS "before", e."after"::text AS "after"
     FROM "audit_event" e
     WHERE (e."entity_type", e."entity_id", e."seq") > ($1, $2, $3::bigint) AND e."seq" <= $4::bigint
     ORDER BY e."entity_type", e."entity_id", e."seq"
     LIMIT $5::int`,
    ...after,
    untilSeq,
    limit,
  );
}

/** Every row of a ledger table as JSON, keyed by its key columns joined with '/', without the omitted columns. */
export async function tableRows(db: Db, table: string, key: readonly string[], omit: readonly string[]): Promise<{ id: string; row: string }[]> {
  const id = key.map((k) => `t."${k}"::text`).join(` || '/' || `);
  return db.$queryRawUnsafe<{ id: string; row: string }[]>(`SELECT ${id} AS "id", (to_jsonb(t) - $1::text[])::text AS "row" FROM "${table}" t`, [...omit]);
}
