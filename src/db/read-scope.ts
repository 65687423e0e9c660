import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Where a request's reads may go, carried through its async calls. A GET's
 * reads may be served by a replica that has replayed `minLsn`; everything
 * else (writes, reads inside a write, every read of a POST/PATCH/…) goes to
 * the primary. A write records its commit position here for the answer.
 */
export type ReadScope = {
  replicasAllowed: boolean;
  /** The replica must have replayed at least this WAL position. */
  minLsn?: bigint;
  /** Set by a write when replicas are in use: the WAL position its commit is at. */
  commitLsn?: string;
  /** Whether writes should look up their commit position (only with replicas). */
  tracksCommits: boolean;
};

const storage = new AsyncLocalStorage<ReadScope>();

export const currentReadScope = (): ReadScope | undefined => storage.getStore();

export function inReadScope<T>(scope: ReadScope, work: () => T): T {
  return storage.run(scope, work);
}

/** Runs `work` with every read on the primary (readiness, a second look after a replica miss). */
export function onPrimary<T>(work: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  return storage.run({ tracksCommits: false, ...scope, replicasAllowed: false }, work);
}

/** `16/B374D848` → a number that orders like the WAL. */
export function parseLsn(text: string | undefined | null): bigint | undefined {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : undefined;
}

export const laterLsn = (a?: bigint, b?: bigint): bigint | undefined => (a === undefined ? b : b === undefined || a > b ? a : b);

/**
 * Called after a write commits, when replicas are in use: notes the WAL
 * position the answer reports. Once COMMIT has returned, the commit record
 * is flushed, so the primary's current position is at or past it; a replica
 * that has replayed this position shows the write.
 */
export async function noteCommit(prisma: { $queryRawUnsafe<T>(q: string): Promise<T> }): Promise<void> {
  const scope = storage.getStore();
  if (!scope?.tracksCommits) return;
  const rows = await onPrimary(() => prisma.$queryRawUnsafe<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn')).catch(() => []);
  // Without a position (the primary lost right after the commit) the caller's reads stay on the primary.
  scope.commitLsn = rows[0]?.lsn ?? 'primary';
}
