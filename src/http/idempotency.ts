import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { canonicalJson } from '../shared/canonical-json';
import { ConflictError, InvalidInputError, UnprocessableError } from '../shared/errors';
import type { Tx } from '../db/transaction';
import { writeRequest } from '../modules/write';
import type { AppContext } from './context';
import type { Reply } from './route';

/*
 * Idempotency-Key on POST (SPEC §3.1). The request runs in one transaction
 * (writeRequest) that first takes a transaction lock on the key, then reads
 * its record: stored → replay it; none → run the request and store its
 * response in the same transaction, before commit. So a crash leaves the
 * change with its stored response, or neither; and the key's lock goes with
 * the dead process's connection, so a retry runs at once (no key is left
 * "in flight" by a crash). Of ten simultaneous requests with one key one
 * takes the lock and runs; the others answer 409 while it runs, or replay
 * the response once it has committed.
 *
 * Records live 24 hours. Stored bodies are encrypted with a key derived from
 * the Idempotency-Key itself, which is kept only as a hash: a response that
 * carries a secret (POST /v1/keys) is not readable from the database alone.
 */
export const RETENTION_MS = 24 * 3600_000;
const PURGE_EVERY_MS = 10 * 60_000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Headers that belong to the response and are replayed with it. */
const REPLAYED_HEADERS = ['Location', 'ETag', 'Cache-Control', 'Content-Location'];

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

type Stored = { fingerprint: string; status: number | null; headers: unknown; body: Uint8Array | null };

function seal(rawKey: string, plain: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sha256(`counterpoint idempotency\n${rawKey}`), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

function unseal(rawKey: string, sealed: Uint8Array): string {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', sha256(`counterpoint idempotency\n${rawKey}`), buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}

let lastPurge = 0;

async function purgeExpired(app: AppContext): Promise<void> {
  if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
  lastPurge = Date.now();
  await app.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}

/** The advisory lock that a request holds on its key while it runs: 64 bits of the actor's and the key's hash. */
export const keyLockId = (actorId: string, keyHash: string): bigint => sha256(`${actorId}\n${keyHash}`).readBigInt64BE(0);

/** Takes the key's transaction lock; false when another request holds it. */
async function lockKey(tx: Tx, actorId: string, keyHash: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1::bigint) AS "locked"', keyLockId(actorId, keyHash).toString());
  return rows[0]?.locked === true;
}

function render(reply: Reply): { status: number; headers: Record<string, string>; body: string | null } {
  const all: Record<string, string> = { ...(reply.headers ?? {}), ...(reply.etag && { ETag: reply.etag }) };
  const headers = Object.fromEntries(Object.entries(all).filter(([k]) => REPLAYED_HEADERS.some((h) => h.toLowerCase() === k.toLowerCase())));
  return { status: reply.status ?? 200, headers, body: reply.json?.toString() ?? (reply.body === undefined ? null : JSON.stringify(reply.body)) };
}

function replay(rawKey: string, stored: Stored): Reply {
  const body = stored.body ? (JSON.parse(unseal(rawKey, stored.body)) as unknown) : undefined;
  const headers = { ...(stored.headers as Record<string, string>), 'Idempotent-Replayed': 'true' };
  return { status: stored.status ?? 200, headers, body };
}

const inFlight = () => new ConflictError('idempotency-in-flight', 'A request with this Idempotency-Key is still being processed; retry shortly');

/**
 * Runs a POST at most once per (actor, Idempotency-Key): the first request
 * runs `run`; a repeat with the same method, path and body gets the stored
 * response; a repeat with another body is refused (422); one that arrives
 * while the first is still running is told so (409).
 */
export async function idempotent(
  app: AppContext,
  req: Request,
  actorId: string,
  rawKey: string,
  run: (app: AppContext) => Promise<Reply>,
): Promise<Reply> {
  if (!KEY_FORMAT.test(rawKey)) {
    throw new InvalidInputError('The Idempotency-Key header must be 1 to 255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'invalid key' },
    ]);
  }
  const keyHash = sha256(rawKey).toString('hex');
  const fingerprint = sha256(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? {})}`).toString('hex');
  await purgeExpired(app);
  return writeRequest(app, async (tx, ctx) => {
    if (!(await lockKey(tx, actorId, keyHash))) throw inFlight();
    const where = { actorId_keyHash: { actorId, keyHash } };
    const stored = await tx.idempotencyRecord.findUnique({ where, select: { fingerprint: true, status: true, headers: true, body: true, completedAt: true, expiresAt: true } });
    if (stored && stored.expiresAt > new Date() && stored.completedAt) {
      if (stored.fingerprint !== fingerprint) {
        throw new UnprocessableError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request');
      }
      return replay(rawKey, stored);
    }
    // Expired, or left incomplete by an older version of the service: the key is free again.
    if (stored) await tx.idempotencyRecord.delete({ where });
    const reply = await run(ctx);
    await storeReply(tx, actorId, keyHash, fingerprint, rawKey, reply);
    return reply;
  });
}

/** The key's record with the response, inside the request's own transaction: it commits with the change or not at all. */
async function storeReply(tx: Tx, actorId: string, keyHash: string, fingerprint: string, rawKey: string, reply: Reply): Promise<void> {
  const rendered = render(reply);
  const now = new Date();
  await tx.idempotencyRecord.create({
    data: {
      actorId,
      keyHash,
      fingerprint,
      status: rendered.status,
      headers: rendered.headers,
      body: rendered.body === null ? null : new Uint8Array(seal(rawKey, rendered.body)),
      createdAt: now,
      completedAt: now,
      expiresAt: new Date(now.getTime() + RETENTION_MS),
    },
  });
}
