-- Issue 9 point 9 and issue 15: a review says where it comes from. Imported
-- ClaimReviews are other fact-checkers' verdicts ('imported'), kept with
-- their own URL and the person who signed them; the newsroom's own reviews
-- ('newsroom') may carry the URL of the newsroom's article.

-- AlterTable
ALTER TABLE "review" ADD COLUMN     "byline_id" UUID,
ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'newsroom',
ADD COLUMN     "url" TEXT;

ALTER TABLE "review" ADD CONSTRAINT "review_origin_check" CHECK ("origin" IN ('newsroom', 'imported'));
ALTER TABLE "review" ADD CONSTRAINT "review_url_check" CHECK ("url" IS NULL OR "url" ~* '^https?://');

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_byline_id_fkey" FOREIGN KEY ("byline_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reviews imported before this migration: their import record says so.
UPDATE "review" r SET "origin" = 'imported', "url" = i."url"
  FROM "claimreview_import" i WHERE i."review_id" = r."id";
