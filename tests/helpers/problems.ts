import type { Response } from 'supertest';
import { ADMIN_KEY, type TestApp } from './app';

/*
 * Shared assertions for error responses and for "nothing was written":
 * the RFC 9457 problem shape (SPEC §3.1) and a snapshot of the audit head
 * plus the row count of every table.
 */

/** Checks the status and the problem+json shape; returns the parsed problem. */
export function expectProblem(res: Response, status: number): Record<string, any> {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${res.text?.slice(0, 500)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.body && Object.keys(res.body).length > 0 ? res.body : JSON.parse(res.text);
  expect(body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }),
  );
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

/** A 400 problem whose errors[] holds an entry at `path` (and, if given, whose message matches). */
export function expectFieldError(res: Response, path: string, message?: RegExp): Record<string, any> {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  for (const e of body.errors) {
    expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
  const paths = body.errors.map((e: { path: string }) => e.path);
  expect(paths).toContain(path);
  if (message) {
    expect(body.errors.filter((e: { path: string }) => e.path === path).map((e: { message: string }) => e.message).join(' | ')).toMatch(message);
  }
  return body;
}

/** The tables every test database must have (SPEC §1); more may exist. */
export const TABLES = [
  'actor',
  'api_key',
  'party',
  'affiliation',
  'source',
  'claim',
  'claim_subject',
  'assertion',
  'claim_relation',
  'audit_event',
] as const;

/** Counts of the tables in TABLES, plus whatever other tables exist. */
export type RowCounts = Record<(typeof TABLES)[number], number> & Record<string, number>;

/** The row count of every table of the public schema (whatever the migrations have added). */
export async function rowCounts(t: TestApp): Promise<RowCounts> {
  const tables = await t.db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
      ORDER BY table_name`,
  );
  const select = tables.map(({ name }) => `(SELECT count(*)::int FROM "${name.replace(/"/g, '""')}") AS "${name.replace(/"/g, '""')}"`).join(', ');
  const [row] = await t.db.sql.query<Record<string, unknown>>(`SELECT ${select}`);
  return Object.fromEntries(tables.map(({ name }) => [name, Number(row![name])])) as RowCounts;
}

export type AuditHead = { seq: number; hash: string | null; at: string | null };

export async function auditHead(t: TestApp): Promise<AuditHead> {
  const res = await t.http.get('/v1/audit/head').set('Authorization', `Bearer ${ADMIN_KEY}`);
  if (res.status !== 200) throw new Error(`GET /v1/audit/head answered ${res.status}: ${res.text}`);
  return res.body as AuditHead;
}

export type WriteState = { head: AuditHead; counts: RowCounts };

/** What "nothing was written" compares: the audit head (GET /v1/audit/head as ADMIN) and every table's row count. */
export async function writeState(t: TestApp): Promise<WriteState> {
  return { head: await auditHead(t), counts: await rowCounts(t) };
}

export async function verifyChain(t: TestApp): Promise<{ ok: boolean; checked: number; firstBadSeq: number | null }> {
  const res = await t.http.get('/v1/audit/verify').set('Authorization', `Bearer ${ADMIN_KEY}`);
  if (res.status !== 200) throw new Error(`GET /v1/audit/verify answered ${res.status}: ${res.text}`);
  return res.body;
}

/**
 * Runs a request that must be refused with `status` (as problem+json) and
 * checks afterwards that it wrote nothing: same audit head, same row counts.
 */
export async function expectRefusedWithoutWrite(
  t: TestApp,
  status: number,
  send: () => PromiseLike<Response>,
): Promise<Record<string, any>> {
  const before = await writeState(t);
  const res = await send();
  const problem = expectProblem(res, status);
  expect(await writeState(t)).toEqual(before);
  return problem;
}

/** The paths named in a validation problem's errors[]. */
export function errorPaths(res: Response): string[] {
  return (res.body.errors ?? []).map((e: { path: string }) => e.path);
}

/** The seq of the audit chain's head. */
export async function auditSeq(t: TestApp): Promise<number> {
  return (await auditHead(t)).seq;
}

/** The write since `before` left exactly one audit event, and it is this one. */
export async function expectOneAuditEvent(
  t: TestApp,
  before: number,
  action: string,
  entityId: string,
  also: Record<string, unknown> = {},
) {
  const head = await auditSeq(t);
  expect(head).toBe(before + 1);
  const res = await t.http.get(`/v1/audit/events?entityId=${entityId}&action=${action}`).set('Authorization', `Bearer ${ADMIN_KEY}`);
  expect(res.status).toBe(200);
  const events = res.body.data.filter((e: { seq: number }) => e.seq > before);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ seq: head, action, entityId, ...also });
  return events[0];
}
