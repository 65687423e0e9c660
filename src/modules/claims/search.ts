import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
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
 */

type Db = Tx | Prisma;

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

/**
 * One page (plus one row) of matching claims, in order, each with its
 * precomputed hit (`body`, null while stale) and, with `q`, its matches as
 * JSON: the texts that match by themselves, highlighted from their stored
 * word spans (claim_hit, hits.ts) — no text is analysed again.
 */
export async function searchHits(db: Db, q: ListClaimsQuery, refs: ResolvedRefs, after?: (string | number)[]): Promise<SearchHit[]> {
  const params: unknown[] = [];
  const $ = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const where = ['c."merged_into_id" IS NULL'];
  let rank = 'NULL::float8';
  let matches = 'NULL::text';
  let readings = '';
  if (q.q) {
    // The words' readings, computed once per search (sub-selects of a materialised CTE, not once per candidate row).
    readings = `WITH qq AS MATERIALIZED (SELECT * FROM "cp_search_queries"(${$(q.q)}))`;
    where.push(`c."search_vector" @@ (SELECT "match" FROM qq)`);
    // Zero when nothing is sought but exclusions ("-hamas"), so that the keyset still orders.
    rank = `coalesce(ts_rank(c."search_vector", (SELECT "rank" FROM qq)), 0)::float8`;
    matches = `"cp_hit_matches"(h."heads", h."vectors", h."words", (SELECT "highlight" FROM qq), (SELECT "lexemes" FROM qq))`;
  }
  if (q.topic) where.push(`c."topics" @> ARRAY[${$(q.topic)}]::text[]`);
  if (q.contested !== undefined) where.push(`c."contestation" ${q.contested ? '=' : '<>'} 'contested'`);

  // Assertion filters hold together: one active assertion meets all of them.
  const on: string[] = [];
  if (refs.partyIds) on.push(`a."party_id" = ANY(${$(refs.partyIds, '::uuid[]')})`);
  if (refs.speakerIds) on.push(`a."speaker_id" = ANY(${$(refs.speakerIds, '::uuid[]')})`);
  if (q.stance) on.push(`a."stance" = ${$(q.stance, '::"Stance"')}`);
  if (q.source) on.push(`a."source_id" = ${$(q.source, '::uuid')}`);
  if (q.from) on.push(`a."asserted_at" >= ${$(new Date(q.from).toISOString(), '::timestamptz')}`);
  if (q.to) on.push(`a."asserted_at" <= ${$(endOf(q.to).toISOString(), '::timestamptz')}`);
  if (refs.partyIds || refs.speakerIds || q.source) {
    // A party's, speaker's or source's claims are few beside a common word's: they lead, looked up by id
    // (the planner cannot know how many claims the words match, and would otherwise scan them all).
    where.push(`c."id" = ANY(ARRAY(SELECT a."claim_id" FROM "assertion" a WHERE a."withdrawn_at" IS NULL AND ${on.join(' AND ')}))`);
  } else if (on.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM "assertion" a WHERE a."claim_id" = c."id" AND a."withdrawn_at" IS NULL AND ${on.join(' AND ')})`);
  }

  const order = searchOrder(q);
  let orderBy: string;
  if (order === 'relevance') {
    orderBy = `"rank" DESC, "at" DESC, "id" DESC`;
    if (after) {
      where.push(`(${rank}, c."last_asserted_at", c."id") < (${$(Number(after[0]), '::float8')}, ${$(String(after[1]), '::timestamptz')}, ${$(String(after[2]), '::uuid')})`);
    }
  } else if (order === 'recent') {
    orderBy = `"at" DESC, "id" DESC`;
    if (after) where.push(`(c."last_asserted_at", c."id") < (${$(String(after[0]), '::timestamptz')}, ${$(String(after[1]), '::uuid')})`);
  } else {
    orderBy = `"id" DESC`;
    if (after) where.push(`c."id" < ${$(String(after[0]), '::uuid')}`);
  }
  const rows = await db.$queryRawUnsafe<{ id: string; rank: number | null; at: Date; body: string | null; matches: string | null }[]>(
    `${readings}
     SELECT s."id"::text AS "id", s."rank", s."at", h."body", CASE WHEN h."body" IS NOT NULL THEN ${matches} END AS "matches"
     FROM (
       SELECT c."id", ${rank} AS "rank", c."last_asserted_at" AS "at"
       FROM "claim" c
       WHERE ${where.join(' AND ')}
       ORDER BY ${orderBy}
       LIMIT ${$(q.limit + 1, '::int')}
     ) s LEFT JOIN "claim_hit" h ON h."claim_id" = s."id"
     ORDER BY ${orderBy}`,
    ...params,
  );
  return rows.map((r) => ({ ...r, rank: r.rank === null ? null : Number(r.rank), at: new Date(r.at) }));
}

export type Highlight = { start: number; end: number };
export type SearchMatch = { field: 'statement' | 'quote'; assertionId?: string; text: string; highlights: Highlight[] };

// Private-use code points mark the highlighted words in ts_headline's output.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Where the words of `q` matched in each hit: its statement and the quotes of
 * its active assertions, each read in its own language (the claim's, or the
 * quote's source's). Offsets count code points in `text` (like anchors).
 * Highlighting runs over the folded text; when folding changed its length
 * (a rare ligature such as "ß"), the match is listed without offsets.
 */
export async function findMatches(db: Db, ids: string[], q: string): Promise<Map<string, SearchMatch[]>> {
  const out = new Map<string, SearchMatch[]>();
  if (ids.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ claimId: string; assertionId: string | null; field: 'statement' | 'quote'; text: string; marked: string }[]>(
    `SELECT t."claim_id"::text AS "claimId", t."assertion_id"::text AS "assertionId", t."field", t."text",
            ts_headline(t."cfg", "cp_fold"(t."text"), q.q, 'HighlightAll=true, StartSel=${OPEN}, StopSel=${CLOSE}') AS "marked"
     FROM (
       SELECT "id" AS "claim_id", NULL::uuid AS "assertion_id", 'statement' AS "field", "statement" AS "text",
              "cp_search_config"("language") AS "cfg", 0 AS "n", "id" AS "sort"
       FROM "claim" WHERE "id" = ANY($1::uuid[])
       UNION ALL
       SELECT a."claim_id", a."id", 'quote', a."quote", "cp_search_config"(coalesce(s."language", c."language")), 1, a."id"
       FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id" JOIN "source" s ON s."id" = a."source_id"
       WHERE a."claim_id" = ANY($1::uuid[]) AND a."withdrawn_at" IS NULL
     ) t, (SELECT "cp_search_query"($2, false) AS q) q
     WHERE to_tsvector(t."cfg", "cp_fold"(t."text")) @@ q.q
     ORDER BY t."n", t."sort"`,
    ids,
    q,
  );
  for (const r of rows) {
    const match: SearchMatch = { field: r.field, ...(r.assertionId && { assertionId: r.assertionId }), text: r.text, highlights: highlightsOf(r.marked, r.text) };
    out.set(r.claimId, [...(out.get(r.claimId) ?? []), match]);
  }
  return out;
}

export function highlightsOf(marked: string, original: string): Highlight[] {
  const highlights: Highlight[] = [];
  let at = 0;
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = at;
    else if (ch === CLOSE) {
      if (start >= 0 && at > start) highlights.push({ start, end: at });
      start = -1;
    } else at += 1;
  }
  return at === [...original].length ? highlights : [];
}
