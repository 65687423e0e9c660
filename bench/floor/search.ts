/*
 * The search FLOOR: the body GET /v1/claims?q=…[&party=…][&limit=…] answers,
 * byte for byte, from one named prepared statement whose JSON is built by
 * PostgreSQL: the party resolved, the hits ranked, each precomputed hit
 * (claim_hit) with its matches highlighted from stored word spans, the
 * cursor (the search's fingerprint, sha256, base64url) encoded — all in SQL.
 * bench/floor.ts serves it beside the other scenarios; bench/search-compare.ts
 * runs it against the service.
 */
import type pg from 'pg';

// The text JS gives a float: PostgreSQL writes 5.5e-05 where JSON.stringify writes 0.000055.
const JS_NUMBER = (x: string) => `(CASE WHEN ${x}::text ~ 'e-0[56]$'
  THEN '0.' || repeat('0', right(${x}::text, 1)::int - 1) || replace(split_part(${x}::text, 'e', 1), '.', '')
  ELSE ${x}::text END)`;
const ISO = (x: string) => `to_char(${x} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const BASE64URL = (x: string) => `translate(replace(encode(convert_to(${x}, 'UTF8'), 'base64'), E'\\n', ''), '+/=', '-_')`;

function statement(withParty: boolean): string {
  return `
WITH qq AS MATERIALIZED (
  SELECT "match" AS m, "rank" AS r, "highlight" AS h, "lexemes" AS l FROM "cp_search_queries"($1)
)${withParty ? `, p AS MATERIALIZED (
  SELECT array_agg(x."id" ORDER BY x.n) AS ids, '[' || string_agg(to_json(x."id"::text)::text, ',' ORDER BY x.n) || ']' AS json
  FROM (SELECT "id", row_number() OVER (ORDER BY ("slug" = $3) DESC, ("cp_fold"("name") = "cp_fold"($3)) DESC, "name", "id") AS n
        FROM "party" WHERE "slug" = $3 OR "cp_party_names"("name", "aliases", "slug") @> ARRAY["cp_fold"($3)]
        ORDER BY n LIMIT 10) x
)` : ''}, hits AS MATERIALIZED (
  SELECT c."id", coalesce(ts_rank(c."search_vector", (SELECT r FROM qq)), 0)::float8 AS rank, c."last_asserted_at" AS at
  FROM "claim" c
  WHERE c."merged_into_id" IS NULL AND c."search_vector" @@ (SELECT m FROM qq)${withParty ? `
    AND c."id" = ANY(ARRAY(SELECT a."claim_id" FROM "assertion" a WHERE a."withdrawn_at" IS NULL AND a."party_id" = ANY((SELECT ids FROM p)::uuid[])))` : ''}
  ORDER BY rank DESC, at DESC, c."id" DESC
  LIMIT $2 + 1
), page AS MATERIALIZED (
  SELECT hits.*, row_number() OVER (ORDER BY rank DESC, at DESC, "id" DESC) AS n FROM hits
), fp AS (
  SELECT left(translate(encode(sha256(convert_to('[' || to_json($1::text)::text || ',null,null,null,null,null,null,'
    || ${withParty ? `coalesce((SELECT json FROM p), 'null')` : `'null'`} || ',null,"relevance"]', 'UTF8')), 'base64'), '+/', '-_'), 16) AS v
)
SELECT '{"data":[' || coalesce((
    SELECT string_agg(left(h."body", -1) || ',"matches":' || "cp_hit_matches"(h."heads", h."vectors", h."words", qq.h, qq.l) || '}', ',' ORDER BY page.n)
    FROM page JOIN "claim_hit" h ON h."claim_id" = page."id", qq
    WHERE page.n <= $2), '')
  || '],"nextCursor":' || coalesce((
    SELECT '"' || ${BASE64URL(`'["' || fp.v || '",' || ${JS_NUMBER('page.rank')} || ',"' || ${ISO('page.at')} || '","' || page."id" || '"]'`)} || '"'
    FROM page, fp WHERE page.n = $2 AND EXISTS (SELECT 1 FROM page p2 WHERE p2.n = $2 + 1)), 'null')
  || '}' AS body`;
}

const STATEMENTS = { plain: statement(false), party: statement(true) };

/** The body the service answers for this search URL, from one statement. */
export async function searchFloor(pool: pg.Pool, url: URL): Promise<string> {
  const q = url.searchParams.get('q')?.trim();
  const party = url.searchParams.get('party');
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const other = [...url.searchParams.keys()].filter((k) => !['q', 'party', 'limit'].includes(k));
  if (!q || other.length > 0) throw new Error(`the search floor answers q=, party= and limit= only: ${url.search}`);
  const res = party
    ? await pool.query<{ body: string }>({ name: 'floor_search_party', text: STATEMENTS.party, values: [q, limit, party] })
    : await pool.query<{ body: string }>({ name: 'floor_search', text: STATEMENTS.plain, values: [q, limit] });
  return res.rows[0]!.body;
}
