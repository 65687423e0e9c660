-- Draft check (SPEC §6, issue 12): each claim's statement and active quotes,
-- each analysed in its own language (the claim's language for the statement,
-- the source's for a quote), stemmed by that language's snowball
-- configuration, then folded (lowercase, no accents), as a set of lexemes.
-- A draft's sentences go through the same function in the draft's language,
-- so a Turkish sentence meets a Turkish claim through its suffixes. Kept by
-- triggers, apart from the search vector, so the two can change separately.

-- The text search configuration for a BCP 47 tag; 'simple' (no stemming) for
-- a language PostgreSQL has no stemmer for, 'english' when none is recorded.
CREATE FUNCTION "cp_draft_config"(lang TEXT) RETURNS regconfig AS $$
  SELECT (CASE lower(split_part(coalesce(lang, 'en'), '-', 1))
    WHEN 'en' THEN 'english' WHEN 'tr' THEN 'turkish' WHEN 'ar' THEN 'arabic' WHEN 'fr' THEN 'french'
    WHEN 'es' THEN 'spanish' WHEN 'de' THEN 'german' WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese'
    WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian' WHEN 'id' THEN 'indonesian' WHEN 'sv' THEN 'swedish'
    WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian' WHEN 'fi' THEN 'finnish'
    WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian' WHEN 'el' THEN 'greek'
    ELSE 'simple' END)::regconfig
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- The lexemes of one text in one language. The dotted capital I is lowered
-- first (the parser's lowercasing depends on the server's locale); the
-- lexemes are folded after stemming, so the stemmer still sees the accents
-- and a draft typed without them ("Turkiye") still meets the claim.
CREATE FUNCTION "cp_draft_lexemes"(lang TEXT, body TEXT) RETURNS TEXT[] AS $$
  SELECT coalesce(array_agg(DISTINCT "cp_fold"(t."lexeme")), '{}')
  FROM unnest(to_tsvector("cp_draft_config"(lang), replace(coalesce(body, ''), 'İ', 'i'))) t
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- A claim's document: its statement and every active quote.
CREATE FUNCTION "cp_draft_document"(claim_uuid UUID, statement TEXT, claim_language TEXT) RETURNS tsvector AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT x), '{}'))
  FROM (
    SELECT unnest("cp_draft_lexemes"(claim_language, statement)) AS x
    UNION ALL
    SELECT unnest("cp_draft_lexemes"(coalesce(s."language", claim_language), a."quote"))
    FROM "assertion" a JOIN "source" s ON s."id" = a."source_id"
    WHERE a."claim_id" = claim_uuid AND a."withdrawn_at" IS NULL
  ) lexemes
$$ LANGUAGE sql STABLE;

ALTER TABLE "claim" ADD COLUMN "draft_vector" tsvector;

CREATE FUNCTION "claim_refresh_draft"(claim_uuid UUID) RETURNS VOID AS $$
  UPDATE "claim" c SET "draft_vector" = "cp_draft_document"(c."id", c."statement", c."language") WHERE c."id" = claim_uuid
$$ LANGUAGE sql;

CREATE FUNCTION "assertion_refresh_claim_draft"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_refresh_draft"(NEW."claim_id");
  IF TG_OP = 'UPDATE' AND OLD."claim_id" <> NEW."claim_id" THEN
    PERFORM "claim_refresh_draft"(OLD."claim_id");
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_claim_draft" AFTER INSERT OR UPDATE OF "claim_id", "quote", "withdrawn_at", "source_id" ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_refresh_claim_draft"();

CREATE FUNCTION "claim_statement_draft"() RETURNS TRIGGER AS $$
BEGIN
  NEW."draft_vector" := "cp_draft_document"(NEW."id", NEW."statement", NEW."language");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_draft" BEFORE INSERT OR UPDATE OF "statement", "language" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "claim_statement_draft"();

UPDATE "claim" c SET "draft_vector" = "cp_draft_document"(c."id", c."statement", c."language");

-- Hand-managed (Prisma cannot describe it): the `_fts` suffix keeps the schema diff from dropping it.
CREATE INDEX "claim_draft_vector_fts" ON "claim" USING GIN ("draft_vector");
