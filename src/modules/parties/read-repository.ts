import type { PreparedRead } from '../../db/client';
import { assertionColumns, cursor, iso, list, obj, positionJoins, positionSummary } from '../claims/json-sql';

/*
 * The party lookups journalists make most, each one prepared statement that
 * writes the answer's JSON ({ data, nextCursor }, the shapes of
 * presentParty and of a statement): the fuzzy lookup by name and a party's
 * statements. A statement's text depends only on which filters are set, so
 * each combination is prepared once per connection.
 */

type Built = { name: string; text: string; values: unknown[] };

function builder() {
  const values: unknown[] = [];
  const $ = (value: unknown, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  return { values, $ };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `{ data, nextCursor }` over the numbered rows `n` of `page`, `limit` of them, the cursor from `key` of the last. */
const pageJson = (item: string, from: string, limit: string, key: string) =>
  obj(`${list(item, `${from} WHERE h."n" <= ${limit}`, 'h."n"')} AS "data",
  (SELECT ${cursor(key)} FROM page h WHERE h."n" = ${limit} AND EXISTS (SELECT 1 FROM page x WHERE x."n" > ${limit})) AS "nextCursor"`);

export type LookupFilters = { limit: number; kind?: string; after?: [number, string, string] };

/**
 * Parties whose folded names or aliases are near `text` (trigram word
 * similarity, the GIN index; or containing it), ranked by strict word
 * similarity, then name and id; `after` continues below the last seen.
 */
function lookupStatement(text: string, f: LookupFilters): Built {
  const { values, $ } = builder();
  const t = $(text);
  const like = $(text.replace(/[\\%_]/g, '\\$&'));
  const limit = $(f.limit, '::int');
  const where = [`(q."t" <% p."search_text" OR p."search_text" LIKE '%' || "cp_fold"(${like}) || '%')`];
  if (f.kind) where.push(`p."kind" = ${$(f.kind, '::"PartyKind"')}`);
  const score = 'strict_word_similarity(q."t", p."search_text")::float8';
  if (f.after) {
    const [s, n, i] = [$(f.after[0], '::float8'), $(f.after[1], '::text'), $(f.after[2], '::uuid')];
    where.push(`(${score} < ${s} OR (${score} = ${s} AND (p."name", p."id") > (${n}, ${i})))`);
  }
  const sql = `
WITH q AS MATERIALIZED (SELECT "cp_fold"(${t}) AS "t"),
page AS MATERIALIZED (
  SELECT p.*, ${score} AS "score", row_number() OVER (ORDER BY ${score} DESC, p."name", p."id") AS "n"
  FROM "party" p, q WHERE ${where.join(' AND ')}
  ORDER BY "n" LIMIT ${limit} + 1
)
SELECT ${pageJson(obj(`h."id", h."slug", h."name", h."kind", h."aliases", h."country", h."description", h."wikidata_id" AS "wikidataId",
    h."version", ${iso('h."created_at"')} AS "createdAt", ${iso('h."updated_at"')} AS "updatedAt"`), 'FROM page h', limit,
  `'[' || h."score"::text || ',' || to_json(h."name")::text || ',' || to_json(h."id"::text)::text || ']'`)}::text AS "body"`;
  return { name: `party-lookup${f.kind ? '-kind' : ''}${f.after ? '-after' : ''}`, text: sql, values };
}

export async function lookupPartiesJson(read: PreparedRead, text: string, f: LookupFilters): Promise<string> {
  const s = lookupStatement(text, f);
  return (await read<{ body: string }>(s.name, s.text, s.values))[0]!.body;
}

export type StatementFilters = { limit: number; stance?: string; topic?: string; from?: Date; to?: Date; after?: [string, string] };

const SAID = `coalesce(a."asserted_at", a."created_at")`;

/**
 * What a party has said (SPEC §3.2), newest first: its own active
 * assertions, those it made as a speaker, and its members' while affiliated.
 * Each branch walks its index (assertion_party_said_fts,
 * assertion_speaker_said_fts) in order; the members' walks stop at the
 * party's own (limit+1)-th newest statement, since nothing older can reach
 * the page (a party with 122 members reads a few dozen rows, not thousands).
 */
function statementsStatement(ref: string, f: StatementFilters): Built {
  const { values, $ } = builder();
  const by = UUID.test(ref) ? 'id' : 'slug';
  const party = by === 'id' ? `"id" = ${$(ref.toLowerCase(), '::uuid')}` : `"slug" = ${$(ref)}`;
  const limit = $(f.limit, '::int');
  const filters = [`a."withdrawn_at" IS NULL`];
  if (f.topic) filters.push(`EXISTS (SELECT 1 FROM "claim" tc WHERE tc."id" = a."claim_id" AND tc."topics" @> ARRAY[${$(f.topic, '::text')}])`);
  if (f.stance) filters.push(`a."stance" = ${$(f.stance, '::"Stance"')}`);
  if (f.from) filters.push(`${SAID} >= ${$(f.from.toISOString(), '::timestamptz')}`);
  if (f.to) filters.push(`${SAID} <= ${$(f.to.toISOString(), '::timestamptz')}`);
  if (f.after) filters.push(`(${SAID}, a."id") < (${$(f.after[0], '::timestamptz')}, ${$(f.after[1], '::uuid')})`);
  const newest = (who: string) => `SELECT a."id", ${SAID} AS "said" FROM "assertion" a
    WHERE ${who} AND ${filters.join(' AND ')} ORDER BY ${SAID} DESC, a."id" DESC LIMIT ${limit} + 1`;
  const sql = `
WITH pty AS MATERIALIZED (SELECT "id" FROM "party" WHERE ${party}),
own AS MATERIALIZED (
  SELECT s.* FROM pty, LATERAL ((${newest('a."party_id" = pty."id"')}) UNION (${newest('a."speaker_id" = pty."id"')})) s
  ORDER BY s."said" DESC, s."id" DESC LIMIT ${limit} + 1
), bound AS MATERIALIZED (SELECT CASE WHEN count(*) > ${limit} THEN min("said") END AS "said" FROM own),
members AS (
  SELECT m.* FROM pty JOIN "affiliation" f ON f."party_id" = pty."id", bound, LATERAL (${newest(`a."speaker_id" = f."person_id"
    AND ${SAID} >= coalesce(greatest(f."from_date"::timestamptz, bound."said"), '-infinity')
    AND ${SAID} < coalesce((f."to_date" + 1)::timestamptz, 'infinity')`)}) m
), page AS MATERIALIZED (
  SELECT u.*, row_number() OVER (ORDER BY u."said" DESC, u."id" DESC) AS "n"
  FROM (SELECT * FROM own UNION SELECT * FROM members) u ORDER BY u."said" DESC, u."id" DESC LIMIT ${limit} + 1
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM pty) THEN ${pageJson(obj(`${assertionColumns},
    CASE WHEN a."party_id" = pty."id" THEN 'party' WHEN a."speaker_id" = pty."id" THEN 'speaker' ELSE 'affiliation' END AS "via",
    ${obj(`c."id", c."statement", c."contestation", ${positionSummary('c."id"')} AS "positions"`)} AS "claim"`),
    `FROM page h JOIN "assertion" a ON a."id" = h."id" ${positionJoins} JOIN "claim" c ON c."id" = a."claim_id", pty`, limit,
    `'[' || to_json(${iso('h."said"')})::text || ',' || to_json(h."id"::text)::text || ']'`)}::text END AS "body"`;
  const flags = ['topic', 'stance', 'from', 'to', 'after'].filter((k) => f[k as keyof StatementFilters] !== undefined);
  return { name: ['party-statements', by, ...flags].join('-'), text: sql, values };
}

/** A page of the party's statements as JSON; undefined when no party has that id or slug. */
export async function partyStatementsJson(read: PreparedRead, ref: string, f: StatementFilters): Promise<string | undefined> {
  const s = statementsStatement(ref, f);
  return (await read<{ body: string | null }>(s.name, s.text, s.values))[0]?.body ?? undefined;
}
