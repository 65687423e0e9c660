-- Party lookup (SPEC §3.2): names and aliases match accent- and
-- case-insensitively and tolerate small misspellings ("Hakan Fiden",
-- "Turky"), through trigram similarity over a folded copy of them.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE EXTENSION IF NOT EXISTS "unaccent";

-- unaccent() is only STABLE (its dictionary could be swapped); naming the
-- dictionary explicitly makes the folding safe to index.
CREATE FUNCTION "cp_fold"(input TEXT) RETURNS TEXT AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary, replace(replace(input, 'ı', 'i'), 'İ', 'I')))
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;

-- AlterTable
ALTER TABLE "party" ADD COLUMN "search_text" TEXT NOT NULL DEFAULT '';

CREATE FUNCTION "party_fold_names"() RETURNS TRIGGER AS $$
BEGIN
  NEW."search_text" := "cp_fold"(NEW."name" || ' ' || array_to_string(NEW."aliases", ' ') || ' ' || replace(NEW."slug", '-', ' '));
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "party_search_text" BEFORE INSERT OR UPDATE OF "name", "aliases", "slug", "search_text" ON "party"
  FOR EACH ROW EXECUTE FUNCTION "party_fold_names"();

UPDATE "party" SET "search_text" = '';

-- CreateIndex
CREATE INDEX "party_search_text_trgm" ON "party" USING GIN ("search_text" gin_trgm_ops);
