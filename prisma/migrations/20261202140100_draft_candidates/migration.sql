-- Draft check (issue 12): every sentence's candidate claims in one call.
-- queries[i] is sentence i's tsquery (NULL: none); for each, at most
-- per_query claims whose draft vector it matches, unranked, with their
-- lexemes. A function so that the statement runs without JIT: the planner's
-- cost for a long draft passes jit_above_cost, and compiling costs more than
-- the index lookups it would speed up.
CREATE FUNCTION "cp_draft_candidates"(queries TEXT[], per_query INT)
RETURNS TABLE ("i" INT, "id" UUID, "lexemes" TEXT[]) AS $$
  SELECT s.i::int, c."id", tsvector_to_array(c."draft_vector")
  FROM unnest(queries) WITH ORDINALITY AS s(q, i)
  CROSS JOIN LATERAL (
    SELECT c."id", c."draft_vector" FROM "claim" c
    WHERE c."draft_vector" @@ s.q::tsquery AND c."merged_into_id" IS NULL
    LIMIT per_query
  ) c
  WHERE s.q IS NOT NULL
$$ LANGUAGE sql STABLE SET jit = off;
