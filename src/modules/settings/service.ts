import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { AppContext, Caller } from '../../http/context';
import { write } from '../write';
import { lockSettings, saveSetting, storedSettings } from './repository';
import { DEFAULT_SETTINGS, settingsBody, type Settings } from './schema';

/** The settings in force: stored values over the defaults (a key never set keeps its default). */
export async function readSettings(db: Tx | Prisma): Promise<Settings> {
  const parsed = settingsBody.partial().safeParse(await storedSettings(db));
  return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function putSettings(app: AppContext, caller: Caller, input: Settings): Promise<Settings> {
  return write(app, caller, async (tx, audit) => {
    await lockSettings(tx);
    for (const [key, value] of Object.entries(input)) {
      await saveSetting(tx, key, value, caller.actor?.id ?? null);
      audit({ action: 'settings.update', entityType: 'setting', entityId: key });
    }
    return readSettings(tx);
  });
}
