-- Draft check (issue 12): the lexemes of each text a sentence is scored
-- against — a claim's statement (text_id = the claim's id) and each active
-- quote (text_id = the assertion's id) — stemmed once, when written, in the
-- text's own language, as cp_draft_lexemes does for the draft vector. The
-- check then reads them instead of stemming its candidates' texts on every
-- request. Derived, so not captured by the audit log; kept by triggers.

CREATE TABLE "draft_text" (
  "claim_id" UUID NOT NULL REFERENCES "claim" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "text_id" UUID NOT NULL,
  "lexemes" TEXT[] NOT NULL,
  PRIMARY KEY ("claim_id", "text_id")
);

CREATE FUNCTION "claim_draft_text"() RETURNS TRIGGER AS $$
BEGIN
  INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
    VALUES (NEW."id", NEW."id", "cp_draft_lexemes"(NEW."language", NEW."statement"))
    ON CONFLICT ("claim_id", "text_id") DO UPDATE SET "lexemes" = EXCLUDED."lexemes";
  -- A quote whose source records no language is analysed in the claim's.
  IF TG_OP = 'UPDATE' AND OLD."language" IS DISTINCT FROM NEW."language" THEN
    UPDATE "draft_text" d SET "lexemes" = "cp_draft_lexemes"(NEW."language", a."quote")
      FROM "assertion" a JOIN "source" s ON s."id" = a."source_id"
      WHERE d."claim_id" = NEW."id" AND d."text_id" = a."id" AND s."language" IS NULL;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_draft_text" AFTER INSERT OR UPDATE OF "statement", "language" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "claim_draft_text"();

CREATE FUNCTION "assertion_draft_text"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM "draft_text" WHERE "claim_id" = OLD."claim_id" AND "text_id" = OLD."id";
  END IF;
  IF NEW."withdrawn_at" IS NULL THEN
    INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
      SELECT NEW."claim_id", NEW."id", "cp_draft_lexemes"(coalesce(s."language", c."language"), NEW."quote")
      FROM "claim" c LEFT JOIN "source" s ON s."id" = NEW."source_id" WHERE c."id" = NEW."claim_id"
      ON CONFLICT ("claim_id", "text_id") DO UPDATE SET "lexemes" = EXCLUDED."lexemes";
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_draft_text" AFTER INSERT OR UPDATE OF "claim_id", "quote", "withdrawn_at", "source_id" ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_draft_text"();

INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
  SELECT c."id", c."id", "cp_draft_lexemes"(c."language", c."statement") FROM "claim" c;
INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
  SELECT a."claim_id", a."id", "cp_draft_lexemes"(coalesce(s."language", c."language"), a."quote")
  FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id" JOIN "source" s ON s."id" = a."source_id"
  WHERE a."withdrawn_at" IS NULL;
