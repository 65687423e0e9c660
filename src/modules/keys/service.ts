import { randomBytes } from 'node:crypto';
import type { AppContext, Caller } from '../../http/context';
import { hashApiKey } from '../../http/auth';
import { decodeCursor, keyset, toPage } from '../../http/pagination';
import { translateDatabaseError } from '../../db/errors';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { uuidv7 } from '../../shared/uuid';
import { write } from '../write';
import type { Role } from '../../generated/prisma/enums';
import { lockActiveAdminKeys } from './repository';
import type { CreateKeyInput, ListKeysQuery } from './schema';
import type { KeyOut } from './responses';

/** 256 random bits; the prefix lets people tell their keys apart without the secret. */
export function generateApiKey(): string {
  return `cp_${randomBytes(32).toString('base64url')}`;
}

type KeyRow = { id: string; prefix: string; createdAt: Date; revokedAt: Date | null; actor: { id: string; name: string; role: Role } };

const keyInclude = { actor: { select: { id: true, name: true, role: true } } } as const;

export function presentKey(k: KeyRow): KeyOut {
  return {
    id: k.id,
    name: k.actor.name,
    role: k.actor.role,
    actorId: k.actor.id,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Issues a key for a new actor. The key itself is returned here and never again. */
export async function issueKey(app: AppContext, caller: Caller, input: CreateKeyInput, key = generateApiKey()) {
  return write(app, caller, async (tx, audit) => {
    const actor = await tx.actor.create({ data: { id: uuidv7(), name: input.name, role: input.role } });
    const row = await tx.apiKey.create({
      data: { id: uuidv7(), actorId: actor.id, keyHash: hashApiKey(key), prefix: key.slice(0, 10) },
      include: keyInclude,
    });
    const presented = presentKey(row);
    audit({ action: 'key.issue', entityType: 'api_key', entityId: row.id, after: presented });
    return { ...presented, key };
  });
}

export async function listKeys(app: AppContext, q: ListKeysQuery) {
  const after = q.cursor ? decodeCursor(q.cursor, keyset.id)[0] : undefined;
  const rows = await app.prisma.apiKey.findMany({
    where: after ? { id: { gt: after } } : {},
    include: keyInclude,
    orderBy: { id: 'asc' },
    take: q.limit + 1,
  });
  return toPage(rows.map(presentKey), q.limit, (k) => [k.id]);
}

export async function revokeKey(app: AppContext, caller: Caller, id: string) {
  return write(app, caller, async (tx, audit) => {
    // Lock, then read: the active ADMIN keys first (whichever key this is), then this key.
    const activeAdmins = await lockActiveAdminKeys(tx);
    const key = await tx.apiKey.findUnique({ where: { id }, include: keyInclude });
    if (!key) throw new NotFoundError('API key', id);
    if (key.revokedAt) return presentKey(key);
    if (key.actor.role === 'ADMIN' && activeAdmins.every((other) => other === id)) {
      throw new ConflictError('last-admin-key', 'This is the last active ADMIN key; issue another before revoking it', { rule: 'last-admin-key' });
    }
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, include: keyInclude });
    const presented = presentKey(revoked);
    audit({ action: 'key.revoke', entityType: 'api_key', entityId: id, before: presentKey(key), after: presented });
    return presented;
  });
}

/**
 * Makes sure the ADMIN_API_KEY from the environment belongs to an ADMIN actor.
 * Idempotent: a key already known (even revoked) is left as it is.
 */
export async function ensureAdminKey(app: AppContext, key: string): Promise<'created' | 'present' | 'revoked'> {
  const existing = await app.prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, select: { revokedAt: true } });
  if (existing) return existing.revokedAt ? 'revoked' : 'present';
  try {
    await issueKey(app, { actor: null, requestId: 'startup' }, { name: 'Administrator (ADMIN_API_KEY)', role: 'ADMIN' }, key);
    return 'created';
  } catch (err) {
    // Another instance starting at the same moment made it first.
    if (translateDatabaseError(err) instanceof ConflictError) return 'present';
    throw err;
  }
}
