-- Issue 13: the search document in each text's own language, with who said it.
--
-- The document of a claim holds, each in its own weight:
--   A  the statement, analysed with the configuration of the claim's language
--   B  the names, aliases and slugs of the parties and speakers of its active
--      assertions (party.search_text, folded, not stemmed: 'simple')
--   C  the active quotes, each with the configuration of its source's
--      language (the claim's when the source has none)
-- plus one position-less marker lexeme per configuration used ("cp lang
-- turkish"), so that a query can drop a word only for documents in a
-- language where that word is a stop word (see cp_search_query).
-- Texts are joined with a gap of one position: a phrase never matches across
-- the end of one text and the start of the next.

-- The text search configuration of a BCP 47 tag; English when none is recorded.
CREATE FUNCTION "cp_search_config"(lang TEXT) RETURNS regconfig AS $$
  SELECT (CASE lower(split_part(coalesce(lang, 'en'), '-', 1))
    WHEN 'en' THEN 'english' WHEN 'tr' THEN 'turkish' WHEN 'ar' THEN 'arabic'
    WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' WHEN 'de' THEN 'german'
    ELSE 'simple' END)::regconfig
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- Every configuration a document can be analysed with.
CREATE FUNCTION "cp_search_configs"() RETURNS regconfig[] AS $$
  SELECT ARRAY['english', 'turkish', 'arabic', 'french', 'spanish', 'german', 'simple']::regconfig[]
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION "cp_config_marker"(cfg regconfig) RETURNS TEXT AS $$
  SELECT 'cp lang ' || cfg::text
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- a || b, with b starting one position after a's last one.
CREATE FUNCTION "cp_tsv_join"(a tsvector, b tsvector) RETURNS tsvector AS $$
  SELECT ts_delete(a || '''cp gap'':2'::tsvector || b, 'cp gap'::text)
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION "cp_claim_document"(claim_uuid UUID, statement TEXT, lang TEXT) RETURNS tsvector AS $$
DECLARE
  doc tsvector := setweight(to_tsvector("cp_search_config"(lang), "cp_fold"(statement)), 'A');
  configs regconfig[] := ARRAY["cp_search_config"(lang)];
  names TEXT;
  q RECORD;
BEGIN
  SELECT string_agg(DISTINCT p."search_text", ' , ') INTO names
  FROM "assertion" a JOIN "party" p ON p."id" = a."party_id" OR p."id" = a."speaker_id"
  WHERE a."claim_id" = claim_uuid AND a."withdrawn_at" IS NULL;
  IF names IS NOT NULL THEN
    doc := "cp_tsv_join"(doc, setweight(to_tsvector('simple'::regconfig, names), 'B'));
  END IF;
  FOR q IN
    SELECT a."quote", "cp_search_config"(coalesce(s."language", lang)) AS cfg
    FROM "assertion" a JOIN "source" s ON s."id" = a."source_id"
    WHERE a."claim_id" = claim_uuid AND a."withdrawn_at" IS NULL
    ORDER BY a."created_at", a."id"
  LOOP
    doc := "cp_tsv_join"(doc, setweight(to_tsvector(q.cfg, "cp_fold"(q."quote")), 'C'));
    configs := configs || q.cfg;
  END LOOP;
  RETURN doc || array_to_tsvector(ARRAY(SELECT DISTINCT "cp_config_marker"(c) FROM unnest(configs) c));
END;
$$ LANGUAGE plpgsql STABLE;

-- One lexeme as a query ('x'), quotes and backslashes escaped.
CREATE FUNCTION "cp_lexeme_query"(lexeme TEXT) RETURNS tsquery AS $$
  SELECT ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

-- Every form a word takes in the document: its stem in each configuration
-- and its folded self, as one alternative ('hama' | 'hamas').
CREATE FUNCTION "cp_word_forms"(word TEXT) RETURNS tsquery AS $$
  SELECT string_agg(DISTINCT "cp_lexeme_query"(l)::text, ' | ')::tsquery
  FROM unnest("cp_search_configs"()) cfg, unnest(tsvector_to_array(to_tsvector(cfg, word))) l
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

-- The query side: web-search syntax ("exact phrase", -exclude, or), read once
-- per configuration, so each drops only its own stop words; every word then
-- stands for all its forms (a Turkish stem, an English one, a name as
-- written). Where the configurations read the query differently, each
-- reading only applies to the documents analysed with that configuration
-- (their marker); `markers => false` gives the plain union, for highlighting
-- single texts.
CREATE FUNCTION "cp_search_query"(q TEXT, markers BOOLEAN) RETURNS tsquery AS $$
DECLARE
  folded TEXT := "cp_fold"(q);
  words TEXT[] := tsvector_to_array(to_tsvector('simple'::regconfig, folded));
  cfg regconfig;
  reading tsquery;
  word TEXT;
  stem TEXT;
  readings tsquery[] := '{}';
  configs TEXT[] := '{}';
  i INT;
  result tsquery;  -- NULL until a reading has lexemes (an all-stop-word query matches nothing)
BEGIN
  FOREACH cfg IN ARRAY "cp_search_configs"() LOOP
    reading := websearch_to_tsquery(cfg, folded);
    FOREACH word IN ARRAY words LOOP
      FOREACH stem IN ARRAY tsvector_to_array(to_tsvector(cfg, word)) LOOP
        reading := ts_rewrite(reading, "cp_lexeme_query"(stem), "cp_word_forms"(word));
      END LOOP;
    END LOOP;
    IF numnode(reading) = 0 THEN CONTINUE; END IF;
    i := array_position(readings::text[], reading::text);
    IF i IS NULL THEN
      readings := readings || reading;
      configs := configs || "cp_lexeme_query"("cp_config_marker"(cfg))::text;
    ELSE
      configs[i] := configs[i] || ' | ' || "cp_lexeme_query"("cp_config_marker"(cfg))::text;
    END IF;
  END LOOP;
  IF coalesce(array_length(readings, 1), 0) <= 1 OR NOT markers THEN
    FOREACH reading IN ARRAY readings LOOP result := CASE WHEN result IS NULL THEN reading ELSE result || reading END; END LOOP;
    RETURN result;
  END IF;
  FOR i IN 1 .. array_length(readings, 1) LOOP
    reading := readings[i] && ('(' || configs[i] || ')')::tsquery;
    result := CASE WHEN result IS NULL THEN reading ELSE result || reading END;
  END LOOP;
  RETURN result;
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT;

CREATE OR REPLACE FUNCTION "cp_search_query"(q TEXT) RETURNS tsquery AS $$
  SELECT "cp_search_query"(q, true)
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

CREATE OR REPLACE FUNCTION "claim_refresh_search"(claim_uuid UUID) RETURNS VOID AS $$
  UPDATE "claim" c SET
    "search_vector" = "cp_claim_document"(c."id", c."statement", c."language"),
    "last_asserted_at" = coalesce(
      (SELECT max(coalesce(a."asserted_at", a."created_at")) FROM "assertion" a WHERE a."claim_id" = c."id" AND a."withdrawn_at" IS NULL),
      c."created_at")
  WHERE c."id" = claim_uuid
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION "claim_statement_search"() RETURNS TRIGGER AS $$
BEGIN
  NEW."search_vector" := "cp_claim_document"(NEW."id", NEW."statement", NEW."language");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER "claim_search" ON "claim";
CREATE TRIGGER "claim_search" BEFORE INSERT OR UPDATE OF "statement", "language" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "claim_statement_search"();

-- Who asserts (party, speaker) and where (the source's language) are now part of the document.
DROP TRIGGER "assertion_claim_search" ON "assertion";
CREATE TRIGGER "assertion_claim_search"
  AFTER INSERT OR UPDATE OF "claim_id", "quote", "withdrawn_at", "asserted_at", "party_id", "speaker_id", "source_id" ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_refresh_claim_search"();

-- A party renamed (or given an alias) is found under its new names at once.
CREATE FUNCTION "party_refresh_claim_search"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_refresh_search"(c."claim_id") FROM (
    SELECT DISTINCT a."claim_id" FROM "assertion" a
    WHERE (a."party_id" = NEW."id" OR a."speaker_id" = NEW."id") AND a."withdrawn_at" IS NULL
  ) c;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- (Not UPDATE OF "search_text": that column is set by the BEFORE trigger, not by the statement.)
CREATE TRIGGER "party_claim_search" AFTER UPDATE ON "party"
  FOR EACH ROW WHEN (OLD."search_text" IS DISTINCT FROM NEW."search_text")
  EXECUTE FUNCTION "party_refresh_claim_search"();

CREATE FUNCTION "source_refresh_claim_search"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_refresh_search"(c."claim_id") FROM (
    SELECT DISTINCT a."claim_id" FROM "assertion" a WHERE a."source_id" = NEW."id" AND a."withdrawn_at" IS NULL
  ) c;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "source_claim_search" AFTER UPDATE OF "language" ON "source"
  FOR EACH ROW WHEN (OLD."language" IS DISTINCT FROM NEW."language")
  EXECUTE FUNCTION "source_refresh_claim_search"();

UPDATE "claim" SET "search_vector" = "cp_claim_document"("id", "statement", "language");

-- party= / speaker= by name or alias, folded: "turkey" finds Türkiye.
-- (Schema-qualified: PostgreSQL 17, as in PGlite, builds indexes with a
-- search_path of pg_catalog only.)
CREATE FUNCTION "cp_party_names"(name TEXT, aliases TEXT[], slug TEXT) RETURNS TEXT[] AS $$
  SELECT array_agg(DISTINCT public."cp_fold"(n)) FROM unnest(ARRAY[name, slug] || aliases) n
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE INDEX "party_names_fts" ON "party" USING GIN ("cp_party_names"("name", "aliases", "slug"));

-- The party and speaker filters of a search: index-only (issue 13).
CREATE INDEX "assertion_active_party_claim_fts" ON "assertion" ("party_id", "claim_id") WHERE "withdrawn_at" IS NULL;
CREATE INDEX "assertion_active_speaker_claim_fts" ON "assertion" ("speaker_id", "claim_id") WHERE "withdrawn_at" IS NULL AND "speaker_id" IS NOT NULL;

-- What ranks a hit: every form of the words sought (not the excluded ones),
-- as alternatives, so that each occurrence counts by its weight (a statement
-- match above a name, a name above a quote). ts_rank over the query itself
-- would score an AND by the proximity of its words, excluded ones included.
CREATE FUNCTION "cp_rank_query"(q TEXT) RETURNS tsquery AS $$
  SELECT string_agg("cp_word_forms"(w)::text, ' | ')::tsquery
  FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
    regexp_replace("cp_fold"(q), '(^|\s)-("[^"]*"?|\S+)', ' ', 'g')))) w
  WHERE w <> 'or' AND "cp_word_forms"(w) IS NOT NULL
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
