/**
 * The smallest surface the migration runner and seed checks need, so the same
 * code drives a `pg` client and an embedded PGlite instance.
 */
export interface SqlRunner {
  /** One parameterised statement. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A script of several statements, no parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` on one connection held for its whole duration — what a
   * session-level lock or a BEGIN…COMMIT issued as separate statements needs
   * (a pool would hand each statement to any connection).
   */
  session<T>(work: (conn: SqlRunner) => Promise<T>): Promise<T>;
}
