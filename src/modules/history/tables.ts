import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import { tableRows } from './repository';

/**
 * The ledger's tables as the change capture records them (migration
 * 20261201130000): the columns that make an entity's id, and those left out
 * of its events — secrets (key hashes) and what triggers derive for search.
 */
export const LEDGER_TABLES = [
  { table: 'actor', key: ['id'], omit: [] },
  { table: 'api_key', key: ['id'], omit: ['key_hash'] },
  { table: 'party', key: ['id'], omit: ['search_text'] },
  { table: 'affiliation', key: ['id'], omit: [] },
  { table: 'source', key: ['id'], omit: [] },
  { table: 'claim', key: ['id'], omit: ['search_vector'] },
  { table: 'claim_subject', key: ['claim_id', 'party_id'], omit: [] },
  { table: 'assertion', key: ['id'], omit: [] },
  { table: 'claim_relation', key: ['id'], omit: [] },
  { table: 'review', key: ['id'], omit: [] },
  { table: 'review_evidence', key: ['id'], omit: [] },
  { table: 'review_contributor', key: ['review_id', 'actor_id'], omit: [] },
  { table: 'setting', key: ['key'], omit: [] },
  { table: 'claimreview_import', key: ['id'], omit: [] },
] as const;

export type LedgerTable = (typeof LEDGER_TABLES)[number]['table'];
export const LEDGER_TABLE_NAMES: string[] = LEDGER_TABLES.map((t) => t.table);

export type LedgerRow = Record<string, unknown>;
/** entity type → entity id → the row as the table holds it. */
export type LedgerState = Map<string, Map<string, LedgerRow>>;

export function emptyState(): LedgerState {
  return new Map(LEDGER_TABLE_NAMES.map((t) => [t, new Map()]));
}

/** The live tables in the same shape, for comparing a replay with them column by column. */
export async function liveState(db: Tx | Prisma): Promise<LedgerState> {
  const state = emptyState();
  for (const { table, key, omit } of LEDGER_TABLES) {
    for (const r of await tableRows(db, table, key, omit)) state.get(table)!.set(r.id, JSON.parse(r.row));
  }
  return state;
}
