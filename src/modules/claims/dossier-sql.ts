import { assertionColumns, currentAssertions, currentOrder, iso, list, obj, positionColumns, positionJoins, positionSummary, ref } from './json-sql';

/*
 * The dossier (SPEC §3.3) in one statement, written by PostgreSQL as
 * JSON.stringify(presentDossier(…)) would write it (tests/dossier-sql.test.ts
 * holds the two together). The one-line attributedSummary is left as a marker
 * — its wording lives in summary.ts, in six languages — and the statement
 * also returns what that line is made of. Claim $1 must be live (not merged).
 */

const actor = (alias: string) => obj(`${alias}."id", ${alias}."name"`);
const STANCES = ['AFFIRMS', 'DENIES', 'QUESTIONS', 'RETRACTS'] as const;
const KEYS = ['affirms', 'denies', 'questions', 'retracts'];
const grouped = (value: string) =>
  obj(STANCES.map((s, i) => `${list(value, `FROM cur WHERE cur."stance" = '${s}'`, 'cur."ord"')} AS "${KEYS[i]}"`).join(', '));

const link = (direction: 'incoming' | 'outgoing', otherColumn: string, selfColumn: string) => `
  SELECT r."id", r."type", r."assertion_id", '${direction}' AS "direction", ${direction === 'incoming' ? 0 : 1} AS "side", bp."name" AS "by_name",
    ${obj(`r."id" AS "relationId", r."type" AS "relation", '${direction}'::text AS "direction", r."basis",
      ${obj(`o."id", o."statement", o."contestation", ${positionSummary('o."id"')} AS "positions"`)} AS "claim",
      ${ref('bp')} AS "by", r."note"`)} AS "json"
  FROM "claim_relation" r
  JOIN "claim" o ON o."id" = r."${otherColumn}" AND o."merged_into_id" IS NULL
  LEFT JOIN "assertion" ba ON ba."id" = r."assertion_id"
  LEFT JOIN "party" bp ON bp."id" = ba."party_id"
  WHERE r."${selfColumn}" = $1::uuid AND ba."withdrawn_at" IS NULL`;

const review = `${obj(`v."id", v."claim_id" AS "claimId", v."status", ${ref('rp')} AS "reviewer", ${actor('au')} AS "author",
    (SELECT array_to_json(array_agg(x."j" ORDER BY x."k", x."first_at", x."actor_id")) FROM (
       SELECT ${actor('au')} AS "j", 0 AS "k", NULL::timestamptz AS "first_at", au."id" AS "actor_id"
       UNION ALL
       SELECT ${actor('ca')}, 1, rc."first_at", rc."actor_id" FROM "review_contributor" rc JOIN "actor" ca ON ca."id" = rc."actor_id"
       WHERE rc."review_id" = v."id" AND rc."actor_id" <> au."id") x) AS "contributors",
    ${ref('bl')} AS "byline", v."origin", v."url", v."rating", v."rating_label" AS "ratingLabel", v."summary",
    v."judged_statement" AS "judgedStatement", v."judged_claim_version" AS "judgedClaimVersion",
    v."judged_statement" <> c."statement" AS "statementChanged",
    ${list(obj(`e."source_id" AS "sourceId", coalesce(e."url", es."url") AS "url", es."title", e."relation", e."note"`),
      `FROM "review_evidence" e LEFT JOIN "source" es ON es."id" = e."source_id" WHERE e."review_id" = v."id"`, 'e."position"')} AS "evidence",
    v."version", ${iso('v."created_at"')} AS "createdAt", ${iso('v."updated_at"')} AS "updatedAt",
    CASE WHEN v."published_at" IS NULL OR pa."id" IS NULL THEN NULL ELSE ${obj(`${iso('v."published_at"')} AS "at", ${actor('pa')} AS "by"`)} END AS "published",
    CASE WHEN v."withdrawn_at" IS NULL OR wa."id" IS NULL THEN NULL
      ELSE ${obj(`${iso('v."withdrawn_at"')} AS "at", v."withdrawn_reason" AS "reason", ${actor('wa')} AS "by"`)} END AS "withdrawn"`)}`;

export const DOSSIER_SQL = `
WITH cur AS MATERIALIZED (
  SELECT a."stance", row_number() OVER (ORDER BY ${currentOrder}) AS "ord", p."name" AS "party_name", sp."name" AS "speaker_name",
    ${obj(positionColumns)} AS "json"
  FROM ${currentAssertions('$1::uuid')} a ${positionJoins}
), links AS MATERIALIZED (${link('incoming', 'source_claim_id', 'target_claim_id')} UNION ALL ${link('outgoing', 'target_claim_id', 'source_claim_id')})
SELECT ${obj(`c."id", c."statement", c."topics",
    ${list(ref('p'), `FROM "claim_subject" s JOIN "party" p ON p."id" = s."party_id" WHERE s."claim_id" = c."id"`, 's."party_id"')} AS "subjects",
    c."language", c."version", c."contestation", ${grouped('cur."json"')} AS "positions", chr(1) AS "attributedSummary",
    ${iso('c."created_at"')} AS "createdAt", ${iso('c."updated_at"')} AS "updatedAt",
    ${list('l."json"', `FROM links l WHERE l."type" IN ('COUNTERS', 'CONTRADICTS')`, 'l."side", l."id"')} AS "counterClaims",
    ${list('l."json"', `FROM links l WHERE l."type" NOT IN ('COUNTERS', 'CONTRADICTS')`, 'l."side", l."id"')} AS "supportingClaims",
    ${list(review, `FROM "review" v JOIN "party" rp ON rp."id" = v."reviewer_id" JOIN "actor" au ON au."id" = v."author_actor_id"
      LEFT JOIN "party" bl ON bl."id" = v."byline_id" LEFT JOIN "actor" pa ON pa."id" = v."published_by" LEFT JOIN "actor" wa ON wa."id" = v."withdrawn_by"
      WHERE v."status" = 'PUBLISHED' AND (v."claim_id" = c."id" OR v."claim_id" IN (SELECT m."id" FROM "claim" m WHERE m."merged_into_id" = c."id"))`,
      'v."published_at", v."id"')} AS "reviews",
    ${list(obj(assertionColumns), `FROM "assertion" a ${positionJoins} WHERE a."claim_id" = c."id"`, 'a."created_at", a."id"')} AS "history"`)}::text AS "body",
  ${obj(`c."statement", c."language",
    ${grouped(obj(`${obj('cur."party_name" AS "name"')} AS "party", CASE WHEN cur."speaker_name" IS NULL THEN NULL ELSE ${obj('cur."speaker_name" AS "name"')} END AS "speaker"`))} AS "positions",
    ${list('l."by_name"', `FROM links l WHERE l."direction" = 'incoming' AND l."type" IN ('COUNTERS', 'CONTRADICTS') AND l."by_name" IS NOT NULL`, 'l."id"')} AS "countering"`)}::text AS "summary"
FROM "claim" c WHERE c."id" = $1::uuid AND c."merged_into_id" IS NULL`;
