import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';

/** The stored settings, key → value (a key never set is absent). */
export async function storedSettings(db: Tx | Prisma): Promise<Record<string, unknown>> {
  const rows = await db.setting.findMany();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Locks every stored setting for the rest of the transaction, so that two admins changing them do not interleave. */
export async function lockSettings(tx: Tx): Promise<void> {
  await tx.$queryRawUnsafe('SELECT 1 FROM "setting" FOR UPDATE');
}

export async function saveSetting(tx: Tx, key: string, value: unknown, actorId: string | null): Promise<void> {
  const data = { value: value as object, updatedById: actorId };
  await tx.setting.upsert({ where: { key }, create: { key, ...data }, update: data });
}
