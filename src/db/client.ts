import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { ReplicaSet, routeReads } from './replicas';
import type { SqlRunner } from './sql-runner';

export type Prisma = InstanceType<typeof PrismaClient>;

/**
 * One read statement by name: on PostgreSQL a named prepared statement,
 * parsed and planned once per connection (the hot lookups). Where reads are
 * routed to replicas, or on PGlite, the statement simply runs.
 */
export type PreparedRead = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** The same, through Prisma (a transaction, a routed client). */
export const readThrough = (prisma: Pick<Prisma, '$queryRawUnsafe'>): PreparedRead => (_name, text, values) => prisma.$queryRawUnsafe(text, ...values);

export type Database = {
  kind: 'postgres' | 'pglite';
  prisma: Prisma;
  /** Raw SQL outside Prisma: migrations, readiness, bulk checks. */
  sql: SqlRunner;
  read: PreparedRead;
  /** PostgreSQL only: the primary's pool (rate-limit store, pool metrics). */
  pool?: pg.Pool;
  /** PostgreSQL only: every pool by name (primary, replica-N), for metrics. */
  pools?(): [string, pg.Pool][];
  /** PostgreSQL with DATABASE_REPLICA_URLS: the replicas reads are routed to. */
  replicas?: ReplicaSet;
  close(): Promise<void>;
  /** Embedded only: the data folder as a tarball (tests clone a migrated one). */
  dumpDataDir?(): Promise<Blob>;
};

function pgRunner(queryable: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    async query(text, params) {
      return (await queryable.query(text, params as unknown[])).rows;
    },
    async exec(text) {
      await queryable.query(text);
    },
    async session(work) {
      if (!(queryable instanceof pg.Pool)) return work(this);
      const client = await queryable.connect();
      try {
        return await work(pgRunner(client));
      } finally {
        client.release();
      }
    },
  };
}

type PgliteLike = { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>; exec(text: string): Promise<unknown> };

/** PGlite is a single connection already: a session is the instance itself. */
function pgliteRunner(db: PgliteLike): SqlRunner {
  return {
    async query(text, params) {
      return (await db.query(text, params as unknown[])).rows as never[];
    },
    async exec(text) {
      await db.exec(text);
    },
    session(work) {
      return work(this);
    },
  };
}

export type PostgresOptions = {
  url: string;
  poolSize: number;
  /** How long to wait for a connection: a new one, or a free one of the pool. */
  connectTimeoutMs?: number;
  /** Set on every session of the pool; unset, the server's own (none by default). */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** Streaming replicas for reads, and how far behind one may fall before it is out of rotation. */
  replicas?: { urls: string[]; maxLagMs: number; pollMs?: number };
};

export function connectPostgres(opts: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    // Fail fast while the database is away (the request answers 503) rather
    // than queue requests behind a connect that will not come.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    // No statement waits for a lock, or runs, without limit: the request answers 503 instead.
    ...(opts.statementTimeoutMs && { statement_timeout: opts.statementTimeoutMs }),
    ...(opts.lockTimeoutMs && { lock_timeout: opts.lockTimeoutMs }),
    // Prepared statements get generic plans, whose estimates cross jit_above_cost on the
    // lookups: compiling them then costs tens of milliseconds, running them one or two.
    options: '-c jit=off',
  });
  // An idle client losing its connection (server restart) must not crash the
  // process; the pool replaces it on the next checkout.
  pool.on('error', () => undefined);
  const primary = new PrismaClient({ adapter: new PrismaPg(pool) });
  const replicas = opts.replicas?.urls.length ? new ReplicaSet(pool, { ...opts.replicas, poolSize: opts.poolSize }) : undefined;
  const prisma = replicas ? routeReads(primary, replicas) : primary;
  return {
    kind: 'postgres',
    prisma,
    sql: pgRunner(pool),
    read: replicas ? readThrough(prisma) : async (name, text, values) => (await pool.query({ name, text, values })).rows,
    pool,
    pools: () => [['primary', pool], ...(replicas?.members.map((r): [string, pg.Pool] => [r.name, r.pool]) ?? [])],
    replicas,
    async close() {
      await replicas?.close();
      await primary.$disconnect();
      await pool.end();
    },
  };
}

export type PgliteOptions = { dataDir?: string; loadFrom?: Blob };

/** The embedded PostgreSQL: one in-process instance, persisted in `dataDir` (or in memory). */
export async function connectPglite(opts: PgliteOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  // The extensions the migrations create (fuzzy, accent-insensitive lookup).
  const extensions = { pg_trgm, unaccent };
  const options = opts.loadFrom ? { loadDataDir: opts.loadFrom, extensions } : { extensions };
  const db = opts.dataDir ? new PGlite(opts.dataDir, options) : new PGlite(options);
  await db.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: 'pglite',
    prisma,
    sql: pgliteRunner(db),
    read: async <T>(_name: string, text: string, values: unknown[]) => (await db.query<T>(text, values)).rows,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
    dumpDataDir: () => db.dumpDataDir('none'),
  };
}
