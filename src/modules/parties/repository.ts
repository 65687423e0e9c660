import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import { NotFoundError } from '../../shared/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const partyRefSelect = { id: true, slug: true, name: true, kind: true } as const;

const affiliationInclude = { person: { select: partyRefSelect }, party: { select: partyRefSelect } } as const;

export const partyDetailInclude = {
  affiliationsAsPerson: { include: affiliationInclude, orderBy: { createdAt: 'asc' } },
  affiliationsAsParty: { include: affiliationInclude, orderBy: { createdAt: 'asc' } },
} as const;

/** Parties are addressed by id or by slug. */
export function partyWhere(idOrSlug: string) {
  return UUID.test(idOrSlug) ? { id: idOrSlug.toLowerCase() } : { slug: idOrSlug };
}

export async function findPartyOrThrow(db: Tx | Prisma, idOrSlug: string) {
  const party = await db.party.findUnique({ where: partyWhere(idOrSlug) });
  if (!party) throw new NotFoundError('party', idOrSlug);
  return party;
}

/** Serialises writers of one party: a PATCH compares its If-Match under this lock. */
export async function lockParty(tx: Tx, id: string): Promise<void> {
  await tx.$queryRawUnsafe('SELECT 1 FROM "party" WHERE "id" = $1::uuid FOR UPDATE', id);
}

/**
 * What still refers to a party; a party may be deleted only when all are
 * zero. (One after another: a transaction is one connection.)
 */
export async function partyReferences(tx: Tx, id: string) {
  const assertions = await tx.assertion.count({ where: { OR: [{ partyId: id }, { speakerId: id }] } });
  const sources = await tx.source.count({ where: { publisherId: id } });
  const subjects = await tx.claimSubject.count({ where: { partyId: id } });
  const affiliations = await tx.affiliation.count({ where: { OR: [{ personId: id }, { partyId: id }] } });
  const reviews = await tx.review.count({ where: { reviewerId: id } });
  return { assertions, sources, subjects, affiliations, reviews };
}
