import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import type { ListClaimsQuery } from './schema';
import { endOf, searchOrder, type ResolvedRefs, type SearchHit } from './search';

/*
 * The search's two reads: the page of hits (claim_hit's stored bodies,
 * ranked over claim.search_vector) and, for hits presented afresh, where
 * the words matched in their texts.
 */
type Db = Tx | Prisma;

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
