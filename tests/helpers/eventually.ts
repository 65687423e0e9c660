import { setTimeout as pause } from 'node:timers/promises';

/** Polls `probe` until it returns true, at most `ms`; returns how long it took. */
export async function eventually(what: string, ms: number, probe: () => Promise<boolean>, everyMs = 100): Promise<number> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < ms) {
    try {
      if (await probe()) return Date.now() - started;
    } catch (err) {
      last = err;
    }
    await pause(everyMs);
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
}
