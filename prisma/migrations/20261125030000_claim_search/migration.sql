-- Claim search (SPEC §3.2, issue 3): full text over a claim's statement and
-- the quotes of its active assertions, in any language. Both sides are
-- folded with cp_fold() (lowercase, no accents: "Turkiye" finds "Türkiye")
-- and parsed with the 'english' configuration: English words are stemmed
-- ("violations" finds "violating"); words in other scripts (Arabic, Urdu)
-- pass through the stemmer unchanged and match as written. One
-- configuration on both sides keeps web-search negation ("-word") exact.

-- AlterTable
ALTER TABLE "claim" ADD COLUMN     "last_asserted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "search_vector" tsvector;

-- The statement weighs more (A) than the quotes (B) in the ranking. The
-- quotes come after a few stop words, and are joined by them (see
-- claim_active_quotes): stop words take positions but no lexemes, so a
-- "phrase" can never match across the end of one text and the start of the next.
CREATE FUNCTION "cp_search_document"(statement TEXT, quotes TEXT) RETURNS tsvector AS $$
  SELECT setweight(to_tsvector('english'::regconfig, "cp_fold"(statement)), 'A')
      || setweight(to_tsvector('english'::regconfig, 'the the the ' || "cp_fold"(coalesce(quotes, ''))), 'B')
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- The query side: web-search syntax ("exact phrase", -exclude, or).
CREATE FUNCTION "cp_search_query"(q TEXT) RETURNS tsquery AS $$
  SELECT websearch_to_tsquery('english'::regconfig, "cp_fold"(q))
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

-- The active quotes of a claim, in the order they were recorded.
CREATE FUNCTION "claim_active_quotes"(claim_uuid UUID) RETURNS TEXT AS $$
  SELECT string_agg("quote", ' the the the ' ORDER BY "created_at", "id") FROM "assertion"
  WHERE "claim_id" = claim_uuid AND "withdrawn_at" IS NULL
$$ LANGUAGE sql STABLE;

-- Recomputes a claim's search document and the time of its latest active
-- assertion; called by the triggers below in the writing transaction.
CREATE FUNCTION "claim_refresh_search"(claim_uuid UUID) RETURNS VOID AS $$
  UPDATE "claim" c SET
    "search_vector" = "cp_search_document"(c."statement", "claim_active_quotes"(c."id")),
    "last_asserted_at" = coalesce(
      (SELECT max(coalesce(a."asserted_at", a."created_at")) FROM "assertion" a WHERE a."claim_id" = c."id" AND a."withdrawn_at" IS NULL),
      c."created_at")
  WHERE c."id" = claim_uuid
$$ LANGUAGE sql;

CREATE FUNCTION "assertion_refresh_claim_search"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_refresh_search"(NEW."claim_id");
  IF TG_OP = 'UPDATE' AND OLD."claim_id" <> NEW."claim_id" THEN
    PERFORM "claim_refresh_search"(OLD."claim_id");
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Every change to what a claim's search covers, whoever makes it (service,
-- merge, import), refreshes it in the same transaction.
CREATE TRIGGER "assertion_claim_search" AFTER INSERT OR UPDATE OF "claim_id", "quote", "withdrawn_at", "asserted_at" ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_refresh_claim_search"();

CREATE FUNCTION "claim_statement_search"() RETURNS TRIGGER AS $$
BEGIN
  NEW."search_vector" := "cp_search_document"(NEW."statement", "claim_active_quotes"(NEW."id"));
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_search" BEFORE INSERT OR UPDATE OF "statement" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "claim_statement_search"();

SELECT "claim_refresh_search"("id") FROM "claim";

-- CreateIndex (hand-managed: Prisma cannot describe it)
CREATE INDEX "claim_search_vector_fts" ON "claim" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "claim_topics_idx" ON "claim" USING GIN ("topics");

-- CreateIndex
CREATE INDEX "claim_last_asserted_at_id_idx" ON "claim"("last_asserted_at" DESC, "id" DESC);

-- A party's statements (GET /v1/parties/{id}/statements), newest first, by
-- party and by speaker. Expression indexes, so hand-managed: the `_fts`
-- suffix keeps the schema diff from dropping them.
CREATE INDEX "assertion_party_said_fts" ON "assertion" ("party_id", (coalesce("asserted_at", "created_at")) DESC, "id" DESC)
  WHERE "withdrawn_at" IS NULL;
CREATE INDEX "assertion_speaker_said_fts" ON "assertion" ("speaker_id", (coalesce("asserted_at", "created_at")) DESC, "id" DESC)
  WHERE "withdrawn_at" IS NULL AND "speaker_id" IS NOT NULL;
