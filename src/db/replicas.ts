import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma as PrismaNS, PrismaClient } from '../generated/prisma/client';
import { databaseReads, replicaInRotation } from '../modules/metrics/registry';
import type { Prisma } from './client';
import { isDatabaseUnavailable } from './errors';
import { currentReadScope, parseLsn } from './read-scope';

export type ReplicaOptions = { urls: string[]; poolSize: number; maxLagMs: number; pollMs?: number };

type Replica = { name: string; pool: pg.Pool; prisma: Prisma; reachable: boolean; replayLsn: bigint; lagMs: number };

const READ_OPERATIONS = new Set(['findFirst', 'findFirstOrThrow', 'findMany', 'findUnique', 'findUniqueOrThrow', 'groupBy', 'aggregate', 'count']);
const RAW_READ = /^\s*(\(\s*)*select\b/i;

/**
 * Streaming replicas behind the primary. A poll (every `pollMs`) reads the
 * primary's WAL position and each replica's replayed position; a replica's
 * lag is how long ago the primary was where the replica now is. A replica
 * that does not answer, or lags more than `maxLagMs`, is out of rotation
 * until it catches up.
 */
export class ReplicaSet {
  readonly members: Replica[];
  /** Recent primary WAL positions, newest last: what a replay position is dated by. */
  private history: { at: number; lsn: bigint }[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly primary: pg.Pool, private readonly opts: ReplicaOptions) {
    this.members = opts.urls.map((url, i) => {
      const pool = new pg.Pool({ connectionString: url, max: opts.poolSize, connectionTimeoutMillis: 1000, idleTimeoutMillis: 30_000 });
      pool.on('error', () => undefined);
      return { name: `replica-${i + 1}`, pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }), reachable: false, replayLsn: 0n, lagMs: Infinity };
    });
  }

  start(): Promise<void> {
    const first = this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 250);
    this.timer.unref();
    return first;
  }

  inRotation(r: Replica): boolean {
    return r.reachable && r.lagMs <= this.opts.maxLagMs;
  }

  async poll(): Promise<void> {
    const now = Date.now();
    try {
      const [row] = (await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
      this.history.push({ at: now, lsn: parseLsn(row?.lsn) ?? 0n });
    } catch {
      // The primary away: the replicas keep their last standing.
    }
    this.history = this.history.filter((h) => now - h.at <= this.opts.maxLagMs * 2 + 1000);
    await Promise.all(this.members.map((r) => this.check(r, now)));
  }

  private async check(r: Replica, now: number): Promise<void> {
    try {
      const [row] = (await r.pool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows;
      r.replayLsn = parseLsn(row?.lsn) ?? 0n;
      r.reachable = true;
      // The newest primary position the replica has reached dates its state.
      const reached = [...this.history].reverse().find((h) => h.lsn <= r.replayLsn);
      const newest = this.history.at(-1);
      r.lagMs = newest && r.replayLsn >= newest.lsn ? 0 : reached ? now - reached.at : Infinity;
    } catch {
      r.reachable = false;
    }
    replicaInRotation.set({ pool: r.name }, this.inRotation(r) ? 1 : 0);
  }

  /** A replica in rotation that has replayed `minLsn`, or none (then the primary serves). */
  pick(minLsn?: bigint): Replica | undefined {
    const fit = this.members.filter((r) => this.inRotation(r) && (minLsn === undefined || r.replayLsn >= minLsn));
    return fit[Math.floor(Math.random() * fit.length)];
  }

  markAway(r: Replica): void {
    r.reachable = false;
    replicaInRotation.set({ pool: r.name }, 0);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.members.map(async (r) => {
      await r.prisma.$disconnect();
      await r.pool.end();
    }));
  }
}

type RawArgs = { strings: string[]; values: unknown[] } | [string, ...unknown[]];

function readOn(replica: Prisma, model: string | undefined, operation: string, args: unknown): Promise<unknown> {
  if (operation === '$queryRaw') {
    const sql = args as { strings: string[]; values: unknown[] };
    return replica.$queryRaw(new PrismaNS.Sql(sql.strings, sql.values as never[]));
  }
  if (operation === '$queryRawUnsafe') {
    const [text, ...values] = args as [string, ...unknown[]];
    return replica.$queryRawUnsafe(text, ...values);
  }
  const delegate = (replica as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[model!.charAt(0).toLowerCase() + model!.slice(1)]!;
  return delegate[operation]!(args);
}

function isRead(model: string | undefined, operation: string, args: unknown): boolean {
  if (model) return READ_OPERATIONS.has(operation);
  if (operation === '$queryRaw') return RAW_READ.test((args as { strings: string[] }).strings[0] ?? '');
  if (operation === '$queryRawUnsafe') return RAW_READ.test((args as RawArgs as [string])[0]);
  return false;
}

/**
 * The primary's client, extended so that reads outside a transaction, in a
 * request that allows them, go to a replica that has what the request must
 * see. A replica failing mid-read is taken out of rotation and the read is
 * served by the primary: the client never sees the replica's trouble.
 * (Prisma's read-replicas extension picks replicas at random, with no lag or
 * health; this is the same mechanism with both.)
 */
export function routeReads(primary: Prisma, replicas: ReplicaSet): Prisma {
  return primary.$extends({
    query: {
      async $allOperations({ model, operation, args, query, ...rest }) {
        const inTransaction = Boolean((rest as { __internalParams?: { transaction?: unknown } }).__internalParams?.transaction);
        const scope = currentReadScope();
        if (inTransaction || !scope?.replicasAllowed || !isRead(model, operation, args)) return query(args);
        const replica = replicas.pick(scope.minLsn);
        if (!replica) {
          databaseReads.inc({ target: 'primary' });
          return query(args);
        }
        try {
          const result = await readOn(replica.prisma, model, operation, args);
          databaseReads.inc({ target: replica.name });
          return result;
        } catch (err) {
          if (isDatabaseUnavailable(err)) replicas.markAway(replica);
          databaseReads.inc({ target: 'primary' });
          return query(args);
        }
      },
    },
  }) as unknown as Prisma;
}
