-- Issue 13: a claim as it is shown in search hits, precomputed.
--
-- `claim_hit` holds, per claim, the hit as the service presents it (`body`,
-- JSON written by the presenter) and what a search needs to say where its
-- words matched without analysing any text again: for the statement and each
-- active quote, in order, the match's JSON up to its highlights (`heads`), the
-- text's own vector (`vectors`, to_tsvector of its configuration) and, per
-- lexeme, the code-point spans of the words that carry it (`words`).
--
-- Triggers mark a claim's hit stale (`body` NULL, `stale_xid` the writing
-- transaction) whenever anything it shows changes: the claim, its subjects,
-- assertions and incoming relations, a party's name, a source's title. The
-- service rebuilds the stale hits of its own transaction before it commits
-- (src/modules/claims/hits.ts); a hit left stale by a write outside the service
-- (a bulk load) is presented on the fly until it is rebuilt.

CREATE TABLE "claim_hit" (
  "claim_id" UUID NOT NULL PRIMARY KEY REFERENCES "claim"("id") ON DELETE CASCADE,
  "body" TEXT,
  "heads" TEXT[],
  "vectors" TSVECTOR[],
  "words" JSONB,
  "stale_xid" XID8
);
CREATE INDEX "claim_hit_stale_idx" ON "claim_hit" ("stale_xid") WHERE "body" IS NULL;

CREATE FUNCTION "cp_hits_stale"(ids UUID[]) RETURNS VOID AS $$
  INSERT INTO "claim_hit" ("claim_id", "stale_xid")
  SELECT DISTINCT id, pg_current_xact_id() FROM unnest(ids) id WHERE id IS NOT NULL
  ON CONFLICT ("claim_id") DO UPDATE SET "body" = NULL, "stale_xid" = EXCLUDED."stale_xid"
  WHERE "claim_hit"."body" IS NOT NULL OR "claim_hit"."stale_xid" IS DISTINCT FROM EXCLUDED."stale_xid"
$$ LANGUAGE sql;

-- The claims that party-basis relations resting on these assertions counter.
CREATE FUNCTION "cp_countered_by"(assertion_ids UUID[]) RETURNS UUID[] AS $$
  SELECT coalesce(array_agg(r."target_claim_id"), '{}') FROM "claim_relation" r WHERE r."assertion_id" = ANY(assertion_ids)
$$ LANGUAGE sql STABLE;

CREATE FUNCTION "claim_hit_stale_claim"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "cp_hits_stale"(ARRAY[NEW."id"]);
  IF TG_OP = 'UPDATE' AND OLD."merged_into_id" IS DISTINCT FROM NEW."merged_into_id" THEN
    PERFORM "cp_hits_stale"(ARRAY(SELECT r."target_claim_id" FROM "claim_relation" r WHERE r."source_claim_id" = NEW."id"));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_hit_insert" AFTER INSERT ON "claim" FOR EACH ROW EXECUTE FUNCTION "claim_hit_stale_claim"();
CREATE TRIGGER "claim_hit_update" AFTER UPDATE OF "statement", "topics", "language", "version", "contestation", "updated_at", "merged_into_id" ON "claim"
  FOR EACH ROW WHEN (OLD."statement" IS DISTINCT FROM NEW."statement" OR OLD."topics" IS DISTINCT FROM NEW."topics"
    OR OLD."language" IS DISTINCT FROM NEW."language" OR OLD."version" IS DISTINCT FROM NEW."version"
    OR OLD."contestation" IS DISTINCT FROM NEW."contestation" OR OLD."updated_at" IS DISTINCT FROM NEW."updated_at"
    OR OLD."merged_into_id" IS DISTINCT FROM NEW."merged_into_id")
  EXECUTE FUNCTION "claim_hit_stale_claim"();

CREATE FUNCTION "claim_hit_stale_subject"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "cp_hits_stale"(ARRAY[OLD."claim_id"]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM "cp_hits_stale"(ARRAY[NEW."claim_id"]); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_subject_hit" AFTER INSERT OR UPDATE OR DELETE ON "claim_subject" FOR EACH ROW EXECUTE FUNCTION "claim_hit_stale_subject"();

CREATE FUNCTION "claim_hit_stale_assertion"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "cp_hits_stale"(ARRAY[OLD."claim_id"] || "cp_countered_by"(ARRAY[OLD."id"])); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM "cp_hits_stale"(ARRAY[NEW."claim_id"]); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_hit" AFTER INSERT OR UPDATE OR DELETE ON "assertion" FOR EACH ROW EXECUTE FUNCTION "claim_hit_stale_assertion"();

CREATE FUNCTION "claim_hit_stale_relation"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "cp_hits_stale"(ARRAY[OLD."target_claim_id"]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM "cp_hits_stale"(ARRAY[NEW."target_claim_id"]); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_relation_hit" AFTER INSERT OR UPDATE OR DELETE ON "claim_relation" FOR EACH ROW EXECUTE FUNCTION "claim_hit_stale_relation"();

-- A party is shown by id, slug, name and kind wherever it appears in a hit.
CREATE FUNCTION "claim_hit_stale_party"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "cp_hits_stale"(ARRAY(
    SELECT s."claim_id" FROM "claim_subject" s WHERE s."party_id" = NEW."id"
    UNION SELECT a."claim_id" FROM "assertion" a WHERE (a."party_id" = NEW."id" OR a."speaker_id" = NEW."id") AND a."withdrawn_at" IS NULL
    UNION SELECT a."claim_id" FROM "assertion" a JOIN "source" so ON so."id" = a."source_id" WHERE so."publisher_id" = NEW."id" AND a."withdrawn_at" IS NULL
    UNION SELECT r."target_claim_id" FROM "claim_relation" r JOIN "assertion" a ON a."id" = r."assertion_id" WHERE a."party_id" = NEW."id"));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "party_hit" AFTER UPDATE OF "name", "slug", "kind" ON "party"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."slug" IS DISTINCT FROM NEW."slug" OR OLD."kind" IS DISTINCT FROM NEW."kind")
  EXECUTE FUNCTION "claim_hit_stale_party"();

CREATE FUNCTION "claim_hit_stale_source"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "cp_hits_stale"(ARRAY(SELECT a."claim_id" FROM "assertion" a WHERE a."source_id" = NEW."id" AND a."withdrawn_at" IS NULL));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "source_hit" AFTER UPDATE OF "title", "url", "publisher_id", "language" ON "source"
  FOR EACH ROW WHEN (OLD."title" IS DISTINCT FROM NEW."title" OR OLD."url" IS DISTINCT FROM NEW."url"
    OR OLD."publisher_id" IS DISTINCT FROM NEW."publisher_id" OR OLD."language" IS DISTINCT FROM NEW."language")
  EXECUTE FUNCTION "claim_hit_stale_source"();

-- Where each word of a folded text lies, by lexeme: {"lexeme": [[start, end], …]}
-- in code points. Positions in to_tsvector count the tokens its
-- configuration maps (every type but blank 12, tag 13, protocol 14 and
-- entity 23, in every built-in configuration), stop words included; the
-- tokens ts_headline writes out tile the text, all but a hyphenated word
-- (15, 16, 17) and a URL (5), whose parts follow them and which are never
-- highlighted themselves.
CREATE FUNCTION "cp_text_words"(cfg regconfig, folded TEXT) RETURNS JSONB AS $$
BEGIN
  RETURN (WITH t AS (
    SELECT n, tokid, char_length(token) AS len, octet_length(token) AS bytes
    FROM ts_parse('default', folded) WITH ORDINALITY AS p(tokid, token, n)
  ), s AS (
    SELECT n, tokid, len, bytes,
      (coalesce(sum(CASE WHEN tokid IN (5, 15, 16, 17) THEN 0 ELSE len END) OVER (ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::int AS start
    FROM t
  ), p AS (
    SELECT row_number() OVER (ORDER BY n)::int AS pos, tokid, start, start + len AS stop
    FROM s WHERE tokid NOT IN (12, 13, 14, 23) AND bytes < 2047
  ), w AS (
    SELECT v.lexeme, jsonb_agg(jsonb_build_array(p.start, p.stop) ORDER BY p.start) AS spans
    FROM unnest(to_tsvector(cfg, folded)) v, unnest(v.positions) x
    JOIN p ON p.pos = x AND p.tokid NOT IN (5, 15, 16, 17)
    GROUP BY v.lexeme
  )
  SELECT coalesce(jsonb_object_agg(lexeme, spans), '{}') FROM w);
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- The statement and active quotes of a claim, as search matches list them.
-- (PL/pgSQL, here and above, so that the plan is kept between calls: a SQL
-- function that cannot be inlined is planned again on every call.)
CREATE FUNCTION "cp_hit_texts"(claim_uuid UUID, OUT heads TEXT[], OUT vectors TSVECTOR[], OUT words JSONB) AS $$
BEGIN
  SELECT array_agg(t.head ORDER BY t.n, t.sort),
         array_agg(to_tsvector(t.cfg, t.folded) ORDER BY t.n, t.sort),
         jsonb_agg(CASE WHEN char_length(t.folded) = char_length(t.text) THEN "cp_text_words"(t.cfg, t.folded) END ORDER BY t.n, t.sort)
  INTO heads, vectors, words
  FROM (
    SELECT 0 AS n, c."id" AS sort, c."statement" AS text, "cp_fold"(c."statement") AS folded, "cp_search_config"(c."language") AS cfg,
           '{"field":"statement","text":' || to_json(c."statement")::text AS head
    FROM "claim" c WHERE c."id" = claim_uuid
    UNION ALL
    SELECT 1, a."id", a."quote", "cp_fold"(a."quote"), "cp_search_config"(coalesce(s."language", c."language")),
           '{"field":"quote","assertionId":' || to_json(a."id"::text)::text || ',"text":' || to_json(a."quote")::text
    FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id" JOIN "source" s ON s."id" = a."source_id"
    WHERE a."claim_id" = claim_uuid AND a."withdrawn_at" IS NULL
  ) t;
END;
$$ LANGUAGE plpgsql STABLE;

-- The lexemes a tsquery names (negated ones too: ts_headline marks them alike).
CREATE FUNCTION "cp_query_lexemes"(q tsquery) RETURNS TEXT[] AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(DISTINCT replace(replace(m[1], '''''', ''''), '\\', '\')), '{}')
          FROM regexp_matches(q::text, '''((?:[^'']|'''')*)''', 'g') m);
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT;

-- A text's highlights for those lexemes, as the JSON the API answers. Most
-- texts match by one lexeme, whose spans are stored in order: their JSON is
-- rewritten from the stored array's text; several are merged in order.
CREATE FUNCTION "cp_highlights"(words JSONB, lexemes TEXT[]) RETURNS TEXT AS $$
DECLARE
  l TEXT;
  one TEXT;
  n INT := 0;
BEGIN
  IF words IS NULL THEN RETURN '[]'; END IF;
  FOREACH l IN ARRAY lexemes LOOP
    IF words ? l THEN n := n + 1; one := l; END IF;
  END LOOP;
  IF n = 0 THEN RETURN '[]'; END IF;
  IF n = 1 THEN
    RETURN replace(regexp_replace((words -> one)::text, '\[(\d+), (\d+)\]', '{"start":\1,"end":\2}', 'g'), '}, {', '},{');
  END IF;
  RETURN (SELECT '[' || string_agg('{"start":' || s || ',"end":' || e || '}', ',' ORDER BY s) || ']'
          FROM (SELECT DISTINCT (p ->> 0)::int AS s, (p ->> 1)::int AS e FROM unnest(lexemes) x, jsonb_array_elements(words -> x) p) spans);
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- The matches of a hit: each of its texts that matches the query by itself.
CREATE FUNCTION "cp_hit_matches"(heads TEXT[], vectors TSVECTOR[], words JSONB, q tsquery, lexemes TEXT[]) RETURNS TEXT AS $$
DECLARE
  listed TEXT := NULL;
BEGIN
  FOR i IN 1 .. coalesce(array_length(vectors, 1), 0) LOOP
    IF vectors[i] @@ q THEN
      listed := coalesce(listed || ',', '') || heads[i] || ',"highlights":' || "cp_highlights"(words -> (i - 1), lexemes) || '}';
    END IF;
  END LOOP;
  RETURN '[' || coalesce(listed, '') || ']';
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- Every claim starts stale; the service (or `npm run hits:refresh`) presents them.
INSERT INTO "claim_hit" ("claim_id") SELECT "id" FROM "claim";

-- A phrase-aware index where PostgreSQL offers one: RUM keeps each lexeme's
-- positions in the index, so "rafah crossing" is checked there instead of in
-- every candidate's heap row. Where RUM is absent (PGlite, a server without
-- the Debian package postgresql-15-rum) the GIN index stays.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS rum;
      SET LOCAL maintenance_work_mem = '256MB';
      DROP INDEX "claim_search_vector_fts";
      CREATE INDEX "claim_search_vector_fts" ON "claim" USING rum ("search_vector" rum_tsvector_ops);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'rum is available but may not be created here; the GIN index stays';
    END;
  END IF;
END $$;
