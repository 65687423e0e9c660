import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import { NotFoundError, UnprocessableError } from '../../shared/errors';

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

export type PartyMatch = { id: string; slug: string; name: string };

/**
 * A party named in a filter: its id, its slug, or one of its names or
 * aliases (accent- and case-folded, so "turkiye" and "TURKEY" find
 * Türkiye). Several parties sharing a name or alias all come back.
 */
export async function partiesNamed(db: Tx | Prisma, ref: string): Promise<PartyMatch[]> {
  if (UUID.test(ref)) {
    return db.party.findMany({ where: { id: ref.toLowerCase() }, select: { id: true, slug: true, name: true } });
  }
  return db.$queryRawUnsafe<PartyMatch[]>(
    `SELECT "id"::text AS "id", "slug", "name" FROM "party"
     WHERE "slug" = $1 OR "cp_party_names"("name", "aliases", "slug") @> ARRAY["cp_fold"($1)]
     ORDER BY ("slug" = $1) DESC, ("cp_fold"("name") = "cp_fold"($1)) DESC, "name", "id" LIMIT 10`,
    ref,
  );
}

/**
 * Parties whose names or aliases are near `text` (trigram word similarity
 * over the folded names: "Turky" finds Türkiye, "Hakan Fiden" Hakan Fidan),
 * best first; `after` continues below the last score seen. `anyScore` also
 * ranks those below pg_trgm's threshold ("Isreal" shares only three
 * trigrams with "Israel"): a full scan, for suggestions after a miss.
 */
export async function closestParties(
  db: Tx | Prisma,
  text: string,
  { limit, kind, after, anyScore }: { limit: number; kind?: string; after?: [number, string, string]; anyScore?: boolean },
): Promise<{ id: string; score: number }[]> {
  // $3: the text as a LIKE pattern that matches itself (% and _ are not wildcards here).
  const params: unknown[] = [text, limit];
  const where: string[] = ['score > 0'];
  if (!anyScore) {
    params.push(text.replace(/[\\%_]/g, '\\$&'));
    where[0] = `(cp_fold($1) <% search_text OR search_text LIKE '%' || cp_fold($3) || '%')`;
  }
  if (kind) {
    params.push(kind);
    where.push(`kind = $${params.length}::"PartyKind"`);
  }
  if (after) {
    params.push(...after);
    const [s, n, i] = [params.length - 2, params.length - 1, params.length];
    where.push(`(score < $${s} OR (score = $${s} AND (name, id) > ($${n}, $${i}::uuid)))`);
  }
  return db.$queryRawUnsafe<{ id: string; score: number }[]>(
    `SELECT id::text AS id, score FROM (
       SELECT id, name, kind, search_text, ${anyScore ? 'word_similarity' : 'strict_word_similarity'}(cp_fold($1), search_text)::float8 AS score FROM party
     ) ranked
     WHERE ${where.join(' AND ')}
     ORDER BY score DESC, name, id
     LIMIT $2`,
    ...params,
  );
}

/**
 * The parties a filter names (`party=`, `speaker=`, `publisher=`): an id, a slug, or a
 * name or alias (folded). None is a 422 naming the closest parties, never a
 * silently empty page.
 */
export async function resolveFilterParty(db: Tx | Prisma, ref: string, field: string): Promise<string[]> {
  const named = await partiesNamed(db, ref);
  if (named.length > 0) return named.map((p) => p.id);
  const near = await closestParties(db, ref, { limit: 5, anyScore: true });
  const suggestions = await db.party.findMany({ where: { id: { in: near.map((n) => n.id) } }, select: { id: true, slug: true, name: true } });
  suggestions.sort((a, b) => near.findIndex((n) => n.id === a.id) - near.findIndex((n) => n.id === b.id));
  const hint = suggestions.length > 0 ? `; the closest: ${suggestions.map((p) => `${p.name} (${p.slug})`).join(', ')}` : '';
  throw new UnprocessableError('unknown-party', `No party has the id, slug, name or alias '${ref}'${hint}`, [
    { path: field, message: 'no such party' },
  ], { suggestions });
}
