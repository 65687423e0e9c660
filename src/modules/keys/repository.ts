import type { Tx } from '../../db/transaction';

/**
 * Locks every active ADMIN key and returns their ids. Two revocations at
 * once then take turns: the second sees the first one's revocation before it
 * counts, so the last ADMIN key cannot be revoked from two sides at once.
 */
export async function lockActiveAdminKeys(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT k."id"::text AS "id" FROM "api_key" k JOIN "actor" a ON a."id" = k."actor_id"
      WHERE k."revoked_at" IS NULL AND a."role" = 'ADMIN'
      ORDER BY k."id" FOR UPDATE OF k`,
  );
  return rows.map((r) => r.id);
}
