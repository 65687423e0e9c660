/*
 * The shapes of the claim and party answers as SQL: fragments that make
 * PostgreSQL write them exactly as JSON.stringify writes the presenters'
 * objects: row_to_json of a sub-select for an object (no spaces, keys in column
 * order), array_to_json(array_agg(…)) for a list, instants as
 * toISOString() writes them. json_build_object and json_agg would add spaces.
 */

/** An object from `columns` ("expr AS \"key\"", …), read in the scope of the caller's FROM. */
export const obj = (columns: string) => `(SELECT row_to_json(o) FROM (SELECT ${columns}) o)`;

/** A JSON list of `value` over `from`, in `order`; `[]` when empty. */
export const list = (value: string, from: string, order: string) =>
  `coalesce((SELECT array_to_json(array_agg(${value} ORDER BY ${order})) ${from}), '[]'::json)`;

/** An instant as Date.prototype.toISOString writes it (UTC, milliseconds). */
export const iso = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The compact party reference; null when the (left-joined) party is absent. */
export const ref = (alias: string) =>
  `CASE WHEN ${alias}."id" IS NULL THEN NULL ELSE ${obj(`${alias}."id", ${alias}."slug", ${alias}."name", ${alias}."kind"`)} END`;

/** A cursor as the API encodes it: the keyset values as JSON, base64url without padding. */
export const cursor = (jsonArray: string) =>
  `rtrim(translate(encode(convert_to(${jsonArray}::text, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/**
 * The fields of a position (presentPosition) for an assertion `a` joined to
 * its party `p`, speaker `sp`, source `so` and the source's publisher `pub`.
 */
export const positionColumns = `a."id" AS "assertionId", a."stance", ${ref('p')} AS "party", ${ref('sp')} AS "speaker",
  a."quote", a."quote_kind" AS "quoteKind",
  CASE WHEN a."anchor_exact" IS NULL THEN NULL ELSE ${obj(`a."anchor_exact" AS "exact", coalesce(a."anchor_prefix", '') AS "prefix",
    coalesce(a."anchor_suffix", '') AS "suffix", a."anchor_start" AS "start", a."anchor_end" AS "end"`)} END AS "anchor",
  ${obj(`so."id", so."title", ${ref('pub')} AS "publisher", so."url"`)} AS "source",
  CASE WHEN a."asserted_at" IS NULL THEN NULL
    WHEN a."asserted_at_precision" = 'DAY' THEN to_char(a."asserted_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD')
    ELSE ${iso('a."asserted_at"')} END AS "assertedAt",
  a."occasion"`;

/** …and of an assertion in full (presentAssertion). */
export const assertionColumns = `${positionColumns}, a."claim_id" AS "claimId", ${iso('a."created_at"')} AS "createdAt",
  CASE WHEN a."withdrawn_at" IS NULL THEN NULL ELSE ${obj(`${iso('a."withdrawn_at"')} AS "at", a."withdrawn_reason" AS "reason"`)} END AS "withdrawn"`;

/** The joins positionColumns reads. */
export const positionJoins = `JOIN "party" p ON p."id" = a."party_id"
  LEFT JOIN "party" sp ON sp."id" = a."speaker_id"
  JOIN "source" so ON so."id" = a."source_id"
  LEFT JOIN "party" pub ON pub."id" = so."publisher_id"`;

const SAID = `coalesce(x."asserted_at", x."created_at")`;

/**
 * The current position of each party on claim `claimExpr` (its latest active
 * assertion), in the order currentPositions gives: oldest said first, then id.
 */
export const currentAssertions = (claimExpr: string) => `(
  SELECT DISTINCT ON (x."party_id") x.* FROM "assertion" x
  WHERE x."claim_id" = ${claimExpr} AND x."withdrawn_at" IS NULL
  ORDER BY x."party_id", ${SAID} DESC, x."created_at" DESC, x."id" DESC)`;
export const currentOrder = `coalesce(a."asserted_at", a."created_at"), a."id"`;

/** The four stances of claim `claimExpr`, each a list of party references (loadPositionSummaries), from one read of its assertions. */
export const positionSummary = (claimExpr: string) => {
  const stance = (s: string) => `coalesce(array_to_json(array_agg(x."ref" ORDER BY x."said", x."id") FILTER (WHERE x."stance" = '${s}')), '[]'::json)`;
  return `(SELECT row_to_json(o) FROM (SELECT ${stance('AFFIRMS')} AS "affirms", ${stance('DENIES')} AS "denies", ${stance('QUESTIONS')} AS "questions", ${stance('RETRACTS')} AS "retracts"
    FROM (SELECT a."stance", coalesce(a."asserted_at", a."created_at") AS "said", a."id", ${ref('p')} AS "ref"
      FROM ${currentAssertions(claimExpr)} a JOIN "party" p ON p."id" = a."party_id") x) o)`;
};
