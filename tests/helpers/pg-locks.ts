import pg from 'pg';
import { AUDIT_CHAIN_LOCK } from '../../src/modules/audit/recorder';

/*
 * Locks taken from outside the service, on a connection of the test's own,
 * to hold a request at a known point: the audit chain's advisory lock (every
 * write takes it just before commit) or a row lock.
 */
export type HeldLock = { client: pg.Client; release(): Promise<void> };

async function holding(url: string, sql: string, params: unknown[]): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql, params);
  return {
    client,
    async release() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

export const holdAuditChainLock = (url: string) => holding(url, 'SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);

/** Runs `sql` (a SELECT … FOR UPDATE, an advisory lock) in a transaction kept open until released. */
export const holdRowLock = (url: string, sql: string, params: unknown[]) => holding(url, sql, params);

/** Backends of the database waiting for a lock while running a statement that matches `query`. */
export async function lockWaiters(url: string, query: RegExp): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (
      await client.query<{ pid: number; query: string }>(
        `SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      )
    ).rows;
    return rows.filter((r) => query.test(r.query)).map((r) => r.pid);
  } finally {
    await client.end();
  }
}

export async function terminateBackends(url: string, pids: number[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const pid of pids) await client.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}
