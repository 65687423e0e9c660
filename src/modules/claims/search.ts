import { createHash } from 'node:crypto';
import { z } from 'zod';
import { decodeCursor, keyset } from '../../http/pagination';
import { InvalidInputError } from '../../shared/errors';
import type { ListClaimsQuery } from './schema';

/*
 * Claim search (SPEC §3.2). `claim.search_vector` holds the statement, the
 * names of who asserts it and the active quotes, folded and each stemmed in
 * its own language, kept by triggers (migrations 20261125030000_claim_search,
 * 20261201150000_search_languages_attribution); `claim.last_asserted_at` holds when the latest
 * active assertion was said. Three orders, each a keyset over an index:
 *   relevance (with q, the default): rank, then recency, then id
 *   recent: the latest assertion first (claim_last_asserted_at_id_idx)
 *   newest (without q, the default): the newest claim first (primary key)
 * This file holds the orders, cursors and fingerprints; the statements that
 * read the hits are in search-repository.ts.
 */

export type SearchOrder = 'relevance' | 'recent' | 'newest';
export type SearchHit = { id: string; rank: number | null; at: Date; body: string | null; matches: string | null };
/** The parties a `party=` / `speaker=` filter names (one name or alias can belong to several). */
export type ResolvedRefs = { partyIds?: string[]; speakerIds?: string[] };

export function searchOrder(q: ListClaimsQuery): SearchOrder {
  if (q.sort === 'recent') return 'recent';
  return q.q && q.sort !== 'newest' ? 'relevance' : 'newest';
}

/**
 * What a page of hits depends on: the words, the filters (parties as
 * resolved) and the order. A cursor carries it, so that it only continues
 * the search it was issued for.
 */
export function searchFingerprint(q: ListClaimsQuery, refs: ResolvedRefs): string {
  const { q: words, topic, contested, stance, source, from, to } = q;
  const shape = [words, topic, contested, stance, source, from, to, refs.partyIds, refs.speakerIds, searchOrder(q)];
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 16);
}

/** The keyset values of a hit, after the search's fingerprint, in the order its cursor holds them. */
export function hitKey(order: SearchOrder, fingerprint: string, hit: SearchHit): (string | number)[] {
  if (order === 'relevance') return [fingerprint, hit.rank ?? 0, hit.at.toISOString(), hit.id];
  if (order === 'recent') return [fingerprint, hit.at.toISOString(), hit.id];
  return [fingerprint, hit.id];
}

const instant = z.iso.datetime({ offset: true });
const fingerprint = z.string().length(16);
/** Latest said first: the keyset of `sort=recent` and of a party's statements. */
export const recentKeyset = z.tuple([instant, z.uuid()]);
const KEYSETS: Record<SearchOrder, z.ZodTuple> = {
  relevance: z.tuple([fingerprint, z.number().finite(), instant, z.uuid()]),
  recent: z.tuple([fingerprint, ...recentKeyset.def.items]),
  newest: z.tuple([fingerprint, ...keyset.id.def.items]),
};

/**
 * A cursor's keyset values, checked against the order it was issued for (a
 * forged one is a 400, not a database error) and against the search: a
 * cursor from `q=Gaza` sent with `q=ceasefire` is a 400 that says so.
 */
export function decodeKeyset(cursor: string, order: SearchOrder, expected: string): (string | number)[] {
  const [issuedFor, ...values] = decodeCursor(cursor, KEYSETS[order]) as [string, ...(string | number)[]];
  if (issuedFor !== expected) {
    throw new InvalidInputError('This cursor continues another search (its words, filters or order differ); start again without it', [
      { path: 'cursor', message: 'issued for another search' },
    ]);
  }
  return values;
}

/** `to=2025-11-03` means up to the end of that day. */
export function endOf(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
}
