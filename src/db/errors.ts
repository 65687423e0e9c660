import {
  ConflictError,
  DatabaseTimeoutError,
  DomainError,
  NotFoundError,
  ServiceUnavailableError,
  UnprocessableError,
} from '../shared/errors';

/*
 * Errors from Prisma, the driver adapters and PostgreSQL arrive in several
 * wrappings (PrismaClientKnownRequestError with a P-code, DriverAdapterError
 * with a `cause.kind`, a raw pg error with a SQLSTATE). This walks the chain
 * once and answers what happened in domain terms.
 */
type Signals = { codes: Set<string>; kinds: Set<string>; text: string };

function collect(err: unknown, acc: Signals = { codes: new Set(), kinds: new Set(), text: '' }, depth = 0): Signals {
  if (!err || typeof err !== 'object' || depth > 6) return acc;
  const e = err as Record<string, unknown>;
  for (const key of ['code', 'originalCode', 'errno']) {
    if (typeof e[key] === 'string') acc.codes.add(e[key] as string);
  }
  if (typeof e.kind === 'string') acc.kinds.add(e.kind);
  if (typeof e.message === 'string') acc.text += ` ${e.message}`;
  if (typeof e.originalMessage === 'string') acc.text += ` ${e.originalMessage}`;
  const meta = e.meta as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object') {
    if (typeof meta.code === 'string') acc.codes.add(meta.code);
    collect(meta.driverAdapterError, acc, depth + 1);
    if (typeof meta.message === 'string') acc.text += ` ${meta.message}`;
  }
  collect(e.cause, acc, depth + 1);
  return acc;
}

/*
 * Waits that ran out: lock_timeout (55P03), statement_timeout (57014), a
 * transaction over its time or that found no connection (P2028, Prisma), no
 * pool connection free within the bound (pg-pool's message).
 */
const TIMEOUT_CODES = ['55P03', '57014', 'P2028'];
const TIMEOUT_TEXT = /timeout exceeded when trying to connect|Transaction API error|Unable to start a transaction in the given time|canceling statement due to (statement|lock) timeout/i;

export function isDatabaseTimeout(err: unknown): boolean {
  const s = collect(err);
  return TIMEOUT_CODES.some((c) => s.codes.has(c)) || TIMEOUT_TEXT.test(s.text);
}

const UNAVAILABLE_CODES = [
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300',
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024',
];
const UNAVAILABLE_KINDS = ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'];
const UNAVAILABLE_TEXT = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|server closed the connection/i;

export function isRetryableTransactionError(err: unknown): boolean {
  const s = collect(err);
  return (
    s.codes.has('40001') || s.codes.has('40P01') || s.codes.has('P2034') ||
    s.kinds.has('TransactionWriteConflict')
  );
}

export function isDatabaseUnavailable(err: unknown): boolean {
  const s = collect(err);
  return (
    UNAVAILABLE_CODES.some((c) => s.codes.has(c)) ||
    UNAVAILABLE_KINDS.some((k) => s.kinds.has(k)) ||
    UNAVAILABLE_TEXT.test(s.text)
  );
}

/** A domain error for a database refusal, or undefined when it is not one we understand. */
export function translateDatabaseError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  const s = collect(err);
  if (isDatabaseTimeout(err)) {
    return new DatabaseTimeoutError('The database is busy and did not answer in time; try again shortly');
  }
  if (isDatabaseUnavailable(err)) {
    return new ServiceUnavailableError('The database is unavailable; try again shortly');
  }
  if (s.codes.has('CP001')) {
    return new ConflictError('last-active-assertion', 'A claim must keep at least one active assertion');
  }
  if (s.codes.has('CP002')) {
    return new ConflictError('not-deletable', 'Claims and assertions are never deleted; merge or withdraw them instead');
  }
  if (s.codes.has('CP003') || s.codes.has('CP004')) {
    return new ConflictError('audit-append-only', 'The audit log is append-only');
  }
  if (s.codes.has('CP010')) {
    return new ConflictError('merge-cycle', 'A claim is merged into a live claim, never into itself, a merged claim or one of its own duplicates');
  }
  if (s.codes.has('CP011')) {
    return new ConflictError('claim-merged', 'The claim was merged into another: nothing new is attributed to it or related to it');
  }
  if (s.codes.has('CP012')) {
    return new ConflictError('assertion-immutable', 'An assertion is history: only its one-time withdrawal may be recorded (and a merge moves it to the surviving claim)');
  }
  if (s.codes.has('CP013')) {
    return new ConflictError('review-published', 'A published review is not rewritten: it can only be withdrawn, and its evidence and authors stay as published');
  }
  if (s.codes.has('P2002') || s.codes.has('23505') || s.kinds.has('UniqueConstraintViolation')) {
    return new ConflictError('already-exists', 'A record with the same unique value already exists');
  }
  // 23001: a RESTRICT foreign key refused the delete (23503 when it is NO ACTION).
  if (s.codes.has('P2003') || s.codes.has('23503') || s.codes.has('23001') || s.kinds.has('ForeignKeyConstraintViolation')) {
    return new ConflictError('in-use', 'The record is referenced by other records');
  }
  if (s.codes.has('P2025')) return new NotFoundError('record', '?');
  if (s.codes.has('23514') || s.codes.has('22P02') || s.codes.has('22007') || s.codes.has('22008') || s.codes.has('22003')) {
    return new UnprocessableError('constraint-violated', 'The values break a rule of the data model');
  }
  return undefined;
}
