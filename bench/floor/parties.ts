import { assertionColumns, cursor, iso, list, obj, positionJoins, positionSummary } from '../../src/modules/claims/json-sql';

/*
 * GET /v1/parties?q=… and GET /v1/parties/{id}/statements, each in one
 * statement that writes the service's JSON answer.
 */

const PAGE = 50;

/** The fuzzy party lookup: trigram word similarity over the folded names (the GIN index), best first. */
export const PARTY_LOOKUP_SQL = `
WITH q AS MATERIALIZED (SELECT "cp_fold"($1) AS "t"),
hits AS MATERIALIZED (
  SELECT p.*, strict_word_similarity(q."t", p."search_text")::float8 AS "score"
  FROM "party" p, q
  WHERE q."t" <% p."search_text" OR p."search_text" LIKE '%' || "cp_fold"($2) || '%'
  ORDER BY "score" DESC, p."name", p."id" LIMIT ${PAGE + 1}
), page AS (SELECT *, row_number() OVER (ORDER BY "score" DESC, "name", "id") AS "n" FROM hits)
SELECT ${obj(`${list(obj(`h."id", h."slug", h."name", h."kind", h."aliases", h."country", h."description", h."wikidata_id" AS "wikidataId",
    h."version", ${iso('h."created_at"')} AS "createdAt", ${iso('h."updated_at"')} AS "updatedAt"`), `FROM page h WHERE h."n" <= ${PAGE}`, 'h."n"')} AS "data",
  (SELECT ${cursor(`'[' || h."score"::text || ',' || to_json(h."name")::text || ',' || to_json(h."id"::text)::text || ']'`)}
   FROM page h WHERE h."n" = ${PAGE} AND EXISTS (SELECT 1 FROM page x WHERE x."n" > ${PAGE})) AS "nextCursor"`)}::text AS "body"`;

const SAID = `coalesce(a."asserted_at", a."created_at")`;
const newest = (who: string, extra = '') => `SELECT a."id", ${SAID} AS "said" FROM "assertion" a
  WHERE ${who} AND a."withdrawn_at" IS NULL ${extra} ORDER BY ${SAID} DESC, a."id" DESC LIMIT ${PAGE + 1}`;

/**
 * A party's statements, newest first: its own, as speaker, and its members'
 * while affiliated. The members' walks stop at the party's own 51st newest
 * statement: nothing older can reach the page.
 */
export const partyStatementsSql = (by: 'id' | 'slug') => `
WITH pty AS MATERIALIZED (SELECT "id" FROM "party" WHERE ${by === 'id' ? '"id" = $1::uuid' : '"slug" = $1'}),
own AS MATERIALIZED (
  SELECT s.* FROM pty, LATERAL ((${newest('a."party_id" = pty."id"')}) UNION (${newest('a."speaker_id" = pty."id"')})) s
  ORDER BY s."said" DESC, s."id" DESC LIMIT ${PAGE + 1}
), bound AS MATERIALIZED (SELECT CASE WHEN count(*) > ${PAGE} THEN min("said") END AS "said" FROM own),
members AS (
  SELECT m.* FROM pty JOIN "affiliation" f ON f."party_id" = pty."id", bound, LATERAL (${newest(`a."speaker_id" = f."person_id"`,
    `AND (f."from_date" IS NULL OR ${SAID} >= f."from_date") AND (f."to_date" IS NULL OR ${SAID} < f."to_date" + 1)
     AND (bound."said" IS NULL OR ${SAID} >= bound."said")`)}) m
), hits AS MATERIALIZED (
  SELECT u.*, row_number() OVER (ORDER BY u."said" DESC, u."id" DESC) AS "n"
  FROM (SELECT * FROM own UNION SELECT * FROM members) u ORDER BY u."said" DESC, u."id" DESC LIMIT ${PAGE + 1}
)
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM pty) THEN NULL ELSE ${obj(`${list(obj(`${assertionColumns},
    CASE WHEN a."party_id" = pty."id" THEN 'party' WHEN a."speaker_id" = pty."id" THEN 'speaker' ELSE 'affiliation' END AS "via",
    ${obj(`c."id", c."statement", c."contestation", ${positionSummary('c."id"')} AS "positions"`)} AS "claim"`),
    `FROM hits h JOIN "assertion" a ON a."id" = h."id" ${positionJoins} JOIN "claim" c ON c."id" = a."claim_id", pty WHERE h."n" <= ${PAGE}`, 'h."n"')} AS "data",
  (SELECT ${cursor(`'[' || to_json(${iso('h."said"')})::text || ',' || to_json(h."id"::text)::text || ']'`)}
   FROM hits h WHERE h."n" = ${PAGE} AND EXISTS (SELECT 1 FROM hits x WHERE x."n" > ${PAGE})) AS "nextCursor"`)}::text END AS "body"`;
