import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { AppContext, Caller } from '../../http/context';
import { write } from '../write';
import { DEFAULT_SETTINGS, settingsBody, type Settings } from './schema';

/** The settings in force: stored values over the defaults (a key never set keeps its default). */
export async function readSettings(db: Tx | Prisma): Promise<Settings> {
  const rows = await db.setting.findMany();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = settingsBody.partial().safeParse(stored);
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function putSettings(app: AppContext, caller: Caller, input: Settings): Promise<Settings> {
  return write(app, caller, async (tx, audit) => {
    // Row lock on every setting so two admins changing them do not interleave.
    await tx.$queryRawUnsafe('SELECT 1 FROM "setting" FOR UPDATE');
    for (const [key, value] of Object.entries(input)) {
      await tx.setting.upsert({
        where: { key },
        create: { key, value, updatedById: caller.actor?.id ?? null },
        update: { value, updatedById: caller.actor?.id ?? null },
      });
      audit({ action: 'settings.update', entityType: 'setting', entityId: key });
    }
    return readSettings(tx);
  });
}
