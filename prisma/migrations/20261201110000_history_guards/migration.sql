-- Issue 9, points 7, 8, 9 and 11: rules the service checks that the database
-- now holds by itself, so that a race or a plain bug cannot break them.
-- Refusals raise SQLSTATEs of class "CP" that src/db/errors.ts maps to 4xx:
--   CP010 merge-cycle           a merge onto itself, a merged claim or back into its own duplicate
--   CP011 claim-merged          an active assertion or a new relation on a merged claim
--   CP012 assertion-immutable   an assertion rewritten (only its one-time withdrawal and merges change it)
--   CP013 review-published      a published review sent back, or its evidence or contributors touched

-- ── Point 7: merges form no cycles and leave nothing live on the duplicate ──

ALTER TABLE "claim" ADD CONSTRAINT "claim_not_merged_into_itself" CHECK ("merged_into_id" <> "id");

-- A merged claim points at a live claim and nothing points at a merged
-- claim, so every redirect is one hop and no chain can close into a cycle.
-- FOR SHARE waits for a concurrent merge of the same rows and reads its outcome.
CREATE FUNCTION "claim_merge_guard"() RETURNS TRIGGER AS $$
DECLARE
  target_merged UUID;
BEGIN
  IF NEW."merged_into_id" IS NULL THEN RETURN NEW; END IF;
  SELECT "merged_into_id" INTO target_merged FROM "claim" WHERE "id" = NEW."merged_into_id" FOR SHARE;
  IF target_merged IS NOT NULL THEN
    RAISE EXCEPTION 'claim % cannot be merged into %, which was itself merged into %', NEW."id", NEW."merged_into_id", target_merged
      USING ERRCODE = 'CP010', HINT = 'merge-cycle';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD."merged_into_id" IS NULL
     AND EXISTS (SELECT 1 FROM "claim" WHERE "merged_into_id" = NEW."id") THEN
    RAISE EXCEPTION 'claim % still has duplicates pointing at it; point them at % first', NEW."id", NEW."merged_into_id"
      USING ERRCODE = 'CP010', HINT = 'merge-cycle';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_merge_acyclic" BEFORE INSERT OR UPDATE OF "merged_into_id" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "claim_merge_guard"();

-- Checked at commit: a merge marks the duplicate, then moves its assertions.
CREATE FUNCTION "merged_claim_holds_no_assertion"() RETURNS TRIGGER AS $$
BEGIN
  IF NEW."merged_into_id" IS NOT NULL
     AND EXISTS (SELECT 1 FROM "assertion" WHERE "claim_id" = NEW."id" AND "withdrawn_at" IS NULL) THEN
    RAISE EXCEPTION 'merged claim % still holds active assertions', NEW."id" USING ERRCODE = 'CP011', HINT = 'claim-merged';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER "merged_claim_no_active_assertion"
  AFTER UPDATE OF "merged_into_id" ON "claim"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "merged_claim_holds_no_assertion"();

-- The claim row is read FOR SHARE, so an insert queued behind a merge sees it.
CREATE FUNCTION "claim_is_live"(claim_uuid UUID, what TEXT) RETURNS VOID AS $$
DECLARE
  survivor UUID;
BEGIN
  SELECT "merged_into_id" INTO survivor FROM "claim" WHERE "id" = claim_uuid FOR SHARE;
  IF survivor IS NOT NULL THEN
    RAISE EXCEPTION '% on claim %, which was merged into %', what, claim_uuid, survivor USING ERRCODE = 'CP011', HINT = 'claim-merged';
  END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION "assertion_on_live_claim"() RETURNS TRIGGER AS $$
BEGIN
  IF NEW."withdrawn_at" IS NULL THEN PERFORM "claim_is_live"(NEW."claim_id", 'an active assertion'); END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_live_claim" BEFORE INSERT OR UPDATE OF "claim_id", "withdrawn_at" ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_on_live_claim"();

-- Relations that stayed with a duplicate when it was merged are history; no new one is drawn to or from it.
CREATE FUNCTION "relation_between_live_claims"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW."source_claim_id" IS DISTINCT FROM OLD."source_claim_id" THEN
    PERFORM "claim_is_live"(NEW."source_claim_id", 'a relation');
  END IF;
  IF TG_OP = 'INSERT' OR NEW."target_claim_id" IS DISTINCT FROM OLD."target_claim_id" THEN
    PERFORM "claim_is_live"(NEW."target_claim_id", 'a relation');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "relation_live_claims" BEFORE INSERT OR UPDATE OF "source_claim_id", "target_claim_id" ON "claim_relation"
  FOR EACH ROW EXECUTE FUNCTION "relation_between_live_claims"();

-- ── Point 8: history rows are not rewritten ──────────────────────────────

-- What a party said, where and how is fixed once recorded. The withdrawal is
-- written once; a merge moves the assertion to the claim its claim was merged into.
CREATE FUNCTION "assertion_guard"() RETURNS TRIGGER AS $$
BEGIN
  IF (NEW."id", NEW."party_id", NEW."speaker_id", NEW."source_id", NEW."stance", NEW."quote", NEW."quote_kind",
      NEW."anchor_exact", NEW."anchor_prefix", NEW."anchor_suffix", NEW."anchor_start", NEW."anchor_end",
      NEW."asserted_at", NEW."asserted_at_precision", NEW."occasion", NEW."created_by")
     IS DISTINCT FROM
     (OLD."id", OLD."party_id", OLD."speaker_id", OLD."source_id", OLD."stance", OLD."quote", OLD."quote_kind",
      OLD."anchor_exact", OLD."anchor_prefix", OLD."anchor_suffix", OLD."anchor_start", OLD."anchor_end",
      OLD."asserted_at", OLD."asserted_at_precision", OLD."occasion", OLD."created_by") THEN
    RAISE EXCEPTION 'assertion % is history: only its withdrawal may be recorded', OLD."id" USING ERRCODE = 'CP012', HINT = 'assertion-immutable';
  END IF;
  IF OLD."withdrawn_at" IS NOT NULL AND
     (NEW."withdrawn_at", NEW."withdrawn_reason", NEW."withdrawn_by") IS DISTINCT FROM (OLD."withdrawn_at", OLD."withdrawn_reason", OLD."withdrawn_by") THEN
    RAISE EXCEPTION 'assertion % was already withdrawn', OLD."id" USING ERRCODE = 'CP012', HINT = 'assertion-immutable';
  END IF;
  IF NEW."claim_id" <> OLD."claim_id" AND NOT EXISTS (
       SELECT 1 FROM "claim" WHERE "id" = OLD."claim_id" AND "merged_into_id" = NEW."claim_id") THEN
    RAISE EXCEPTION 'assertion % moves only with a merge of its claim', OLD."id" USING ERRCODE = 'CP012', HINT = 'assertion-immutable';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_history" BEFORE UPDATE ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "assertion_guard"();

-- ── Points 9 and 11: who wrote a review, and the statement it judged ─────

-- Everyone who wrote any of a review's content (its author first): none of
-- them may publish it (the second pair of eyes).
CREATE TABLE "review_contributor" (
    "review_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_contributor_pkey" PRIMARY KEY ("review_id", "actor_id")
);
CREATE INDEX "review_contributor_actor_id_idx" ON "review_contributor"("actor_id");
ALTER TABLE "review_contributor" ADD CONSTRAINT "review_contributor_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "review"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "review_contributor" ADD CONSTRAINT "review_contributor_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

INSERT INTO "review_contributor" ("review_id", "actor_id", "first_at")
  SELECT "id", "author_actor_id", "created_at" FROM "review";

-- The claim's wording (and version) when the review's content was written.
ALTER TABLE "review" ADD COLUMN "judged_statement" TEXT, ADD COLUMN "judged_claim_version" INTEGER;
UPDATE "review" r SET "judged_statement" = c."statement", "judged_claim_version" = c."version"
  FROM "claim" c WHERE c."id" = r."claim_id";

-- Taken from the claim when the review is written and whenever its content
-- changes (an edit of a DRAFT or IN_REVIEW review), never afterwards.
CREATE FUNCTION "review_judges_statement"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (NEW."status" = OLD."status" AND NEW."status" IN ('DRAFT', 'IN_REVIEW') AND NEW."version" <> OLD."version") THEN
    SELECT "statement", "version" INTO NEW."judged_statement", NEW."judged_claim_version" FROM "claim" WHERE "id" = NEW."claim_id";
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "review_judged_statement" BEFORE INSERT OR UPDATE ON "review"
  FOR EACH ROW EXECUTE FUNCTION "review_judges_statement"();

-- The defaults only satisfy clients that do not send them: the trigger above always writes both.
ALTER TABLE "review" ALTER COLUMN "judged_statement" SET NOT NULL, ALTER COLUMN "judged_statement" SET DEFAULT '',
  ALTER COLUMN "judged_claim_version" SET NOT NULL, ALTER COLUMN "judged_claim_version" SET DEFAULT 0;

-- A published review moves only to WITHDRAWN; its publication, its
-- withdrawal and the statement it judged stay as they were.
CREATE FUNCTION "review_publication_guard"() RETURNS TRIGGER AS $$
BEGIN
  IF OLD."status" IN ('PUBLISHED', 'WITHDRAWN') AND (
       (NEW."status" <> OLD."status" AND NOT (OLD."status" = 'PUBLISHED' AND NEW."status" = 'WITHDRAWN'))
       OR (NEW."published_at", NEW."published_by", NEW."judged_statement", NEW."judged_claim_version")
          IS DISTINCT FROM (OLD."published_at", OLD."published_by", OLD."judged_statement", OLD."judged_claim_version")
       OR (OLD."status" = 'WITHDRAWN' AND (NEW."withdrawn_at", NEW."withdrawn_reason", NEW."withdrawn_by")
          IS DISTINCT FROM (OLD."withdrawn_at", OLD."withdrawn_reason", OLD."withdrawn_by"))) THEN
    RAISE EXCEPTION 'review % was published: it can only be withdrawn', OLD."id" USING ERRCODE = 'CP013', HINT = 'review-published';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "review_published_history" BEFORE UPDATE ON "review"
  FOR EACH ROW EXECUTE FUNCTION "review_publication_guard"();

-- The evidence and contributors of a published review are fixed; an import
-- writes a review as PUBLISHED with its evidence in one transaction, which
-- is allowed (the review row was inserted by this very transaction).
CREATE FUNCTION "review_part_guard"() RETURNS TRIGGER AS $$
DECLARE
  review_uuid UUID;
  r RECORD;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."review_id" <> NEW."review_id" THEN
    RAISE EXCEPTION 'a review''s % does not move to another review', TG_TABLE_NAME USING ERRCODE = 'CP013', HINT = 'review-published';
  END IF;
  review_uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD."review_id" ELSE NEW."review_id" END;
  SELECT "status", "version", "xmin"::text = pg_current_xact_id()::xid::text AS "written_here" INTO r
    FROM "review" WHERE "id" = review_uuid;
  IF r."status" IN ('PUBLISHED', 'WITHDRAWN')
     AND NOT (TG_OP = 'INSERT' AND r."status" = 'PUBLISHED' AND r."version" = 1 AND r."written_here") THEN
    RAISE EXCEPTION 'review % was published: its % is fixed', review_uuid, TG_TABLE_NAME USING ERRCODE = 'CP013', HINT = 'review-published';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "review_evidence_fixed" BEFORE INSERT OR UPDATE OR DELETE ON "review_evidence"
  FOR EACH ROW EXECUTE FUNCTION "review_part_guard"();
CREATE TRIGGER "review_contributor_fixed" BEFORE INSERT OR UPDATE OR DELETE ON "review_contributor"
  FOR EACH ROW EXECUTE FUNCTION "review_part_guard"();

-- ── Point 8: every actor column names an actor ────────────────────────────

ALTER TABLE "claim" ADD CONSTRAINT "claim_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_withdrawn_by_fkey" FOREIGN KEY ("withdrawn_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "setting" ADD CONSTRAINT "setting_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "claimreview_import" ADD CONSTRAINT "claimreview_import_imported_by_fkey" FOREIGN KEY ("imported_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
