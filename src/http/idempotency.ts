import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { canonicalJson } from '../shared/canonical-json';
import { ConflictError, InvalidInputError, UnprocessableError } from '../shared/errors';
import type { Tx } from '../db/transaction';
import { writeRequest } from '../modules/write';
import type { AppContext } from './context';
import type { Reply } from './route';

/*
 * Idempotency-Key on POST (SPEC §3.1). A key is claimed by inserting its row
 * (unique per actor and key) before the request runs, in a statement of its
 * own: of ten simultaneous requests with one key exactly one wins the insert
 * and runs; the others find the row and answer 409 while it is in flight, or
 * replay the stored response once it is complete.
 *
 * The request then runs in one transaction (writeRequest): its writes join
 * it, and its response is stored in the record inside it, before commit. A
 * crash leaves the change with its stored response, or neither (the key is
 * then merely in flight, and released as stale). A request that fails
 * releases its key, since its transaction rolled back and nothing was written.
 *
 * Records live 24 hours. A claim whose request never completed (the instance
 * died between claiming and storing) is released after STALE_AFTER, so a
 * client is never locked out of its key for a whole day.
 *
 * Stored bodies are encrypted with a key derived from the Idempotency-Key
 * itself, which is kept only as a hash: a response that carries a secret
 * (POST /v1/keys) is not readable from the database alone.
 */
export const RETENTION = '24 hours';
const STALE_AFTER = '5 minutes';
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
  await app.prisma.$executeRawUnsafe('DELETE FROM "idempotency_record" WHERE "expires_at" < now()');
}

/** Inserts the key's row, or takes over an expired or abandoned one. True when this request now owns the key. */
async function claimKey(app: AppContext, actorId: string, keyHash: string, fingerprint: string): Promise<boolean> {
  const rows = await app.prisma.$queryRawUnsafe<unknown[]>(
    `INSERT INTO "idempotency_record" ("actor_id", "key_hash", "fingerprint", "created_at", "expires_at")
     VALUES ($1::uuid, $2, $3, now(), now() + interval '${RETENTION}')
     ON CONFLICT ("actor_id", "key_hash") DO UPDATE
       SET "fingerprint" = EXCLUDED."fingerprint", "created_at" = now(), "expires_at" = EXCLUDED."expires_at",
           "status" = NULL, "headers" = NULL, "body" = NULL, "completed_at" = NULL
       WHERE "idempotency_record"."expires_at" < now()
          OR ("idempotency_record"."completed_at" IS NULL AND "idempotency_record"."created_at" < now() - interval '${STALE_AFTER}')
     RETURNING 1 AS "claimed"`,
    actorId,
    keyHash,
    fingerprint,
  );
  return rows.length === 1;
}

function render(reply: Reply): { status: number; headers: Record<string, string>; body: string | null } {
  const all: Record<string, string> = { ...(reply.headers ?? {}), ...(reply.etag && { ETag: reply.etag }) };
  const headers = Object.fromEntries(Object.entries(all).filter(([k]) => REPLAYED_HEADERS.some((h) => h.toLowerCase() === k.toLowerCase())));
  return { status: reply.status ?? 200, headers, body: reply.body === undefined ? null : JSON.stringify(reply.body) };
}

function replay(rawKey: string, stored: Stored): Reply {
  const body = stored.body ? (JSON.parse(unseal(rawKey, stored.body)) as unknown) : undefined;
  const headers = { ...(stored.headers as Record<string, string>), 'Idempotent-Replayed': 'true' };
  return { status: stored.status ?? 200, headers, body };
}

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
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await claimKey(app, actorId, keyHash, fingerprint)) return runAndStore(app, actorId, keyHash, rawKey, run);
    const stored = await app.prisma.idempotencyRecord.findUnique({
      where: { actorId_keyHash: { actorId, keyHash } },
      select: { fingerprint: true, status: true, headers: true, body: true },
    });
    if (!stored) continue; // the first request failed and released the key meanwhile: claim it again
    if (stored.fingerprint !== fingerprint) {
      throw new UnprocessableError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request');
    }
    if (stored.status === null) {
      throw new ConflictError('idempotency-in-flight', 'A request with this Idempotency-Key is still being processed; retry shortly');
    }
    return replay(rawKey, stored);
  }
  throw new ConflictError('idempotency-in-flight', 'A request with this Idempotency-Key is still being processed; retry shortly');
}

async function runAndStore(app: AppContext, actorId: string, keyHash: string, rawKey: string, run: (app: AppContext) => Promise<Reply>): Promise<Reply> {
  try {
    return await writeRequest(app, run, (tx, reply) => storeReply(tx, actorId, keyHash, rawKey, reply));
  } catch (err) {
    await app.prisma.idempotencyRecord.delete({ where: { actorId_keyHash: { actorId, keyHash } } }).catch(() => undefined);
    throw err;
  }
}

/** Completes the key's record, inside the request's own transaction: it commits with the change or not at all. */
async function storeReply(tx: Tx, actorId: string, keyHash: string, rawKey: string, reply: Reply): Promise<void> {
  const rendered = render(reply);
  const stored = await tx.idempotencyRecord.updateMany({
    where: { actorId, keyHash, completedAt: null },
    data: {
      status: rendered.status,
      headers: rendered.headers,
      body: rendered.body === null ? null : new Uint8Array(seal(rawKey, rendered.body)),
      completedAt: new Date(),
    },
  });
  // Our claim was taken over meanwhile (released as stale, or purged): refuse rather than write twice.
  if (stored.count !== 1) throw new ConflictError('idempotency-in-flight', 'A request with this Idempotency-Key is still being processed; retry shortly');
}
