-- Issue 13: the three readings of a search's words in one pass.
--
-- A search needs its words as a match query (cp_search_query(q), with the
-- language markers), as a highlight query (cp_search_query(q, false)), as a
-- rank query (cp_rank_query(q)) and the lexemes highlighting marks. Computed
-- apart they analysed every word in every configuration once per reading
-- and per stem (~3 ms a request); here each word's forms are computed once.
-- The results are those of the separate functions, which stay.
CREATE FUNCTION "cp_search_queries"(q TEXT, OUT "match" tsquery, OUT "highlight" tsquery, OUT "rank" tsquery, OUT "lexemes" TEXT[]) AS $$
DECLARE
  folded TEXT := "cp_fold"(q);
  words TEXT[] := tsvector_to_array(to_tsvector('simple'::regconfig, folded));
  forms tsquery[] := ARRAY(SELECT "cp_word_forms"(w) FROM unnest(words) WITH ORDINALITY u(w, n) ORDER BY n);
  ranked TEXT[];
  cfg regconfig;
  reading tsquery;
  stem TEXT;
  readings tsquery[] := '{}';
  configs TEXT[] := '{}';
  i INT;
  j INT;
BEGIN
  FOREACH cfg IN ARRAY "cp_search_configs"() LOOP
    reading := websearch_to_tsquery(cfg, folded);
    FOR j IN 1 .. coalesce(array_length(words, 1), 0) LOOP
      FOREACH stem IN ARRAY tsvector_to_array(to_tsvector(cfg, words[j])) LOOP
        reading := ts_rewrite(reading, "cp_lexeme_query"(stem), forms[j]);
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
  FOREACH reading IN ARRAY readings LOOP highlight := CASE WHEN highlight IS NULL THEN reading ELSE highlight || reading END; END LOOP;
  IF coalesce(array_length(readings, 1), 0) <= 1 THEN
    "match" := highlight;
  ELSE
    FOR i IN 1 .. array_length(readings, 1) LOOP
      reading := readings[i] && ('(' || configs[i] || ')')::tsquery;
      "match" := CASE WHEN "match" IS NULL THEN reading ELSE "match" || reading END;
    END LOOP;
  END IF;
  ranked := tsvector_to_array(to_tsvector('simple'::regconfig, regexp_replace(folded, '(^|\s)-("[^"]*"?|\S+)', ' ', 'g')));
  "rank" := (SELECT string_agg(coalesce(forms[array_position(words, w)], "cp_word_forms"(w))::text, ' | ')::tsquery
             FROM unnest(ranked) w WHERE w <> 'or' AND coalesce(forms[array_position(words, w)], "cp_word_forms"(w)) IS NOT NULL);
  lexemes := CASE WHEN highlight IS NULL THEN '{}' ELSE "cp_query_lexemes"(highlight) END;
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT;
