-- CreateEnum
CREATE TYPE "ReviewRating" AS ENUM ('SUPPORTED', 'MOSTLY_SUPPORTED', 'MIXED', 'MOSTLY_UNSUPPORTED', 'UNSUPPORTED', 'UNVERIFIABLE', 'DISPUTED');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "EvidenceRelation" AS ENUM ('SUPPORTS', 'REFUTES', 'CONTEXT');

-- CreateTable
CREATE TABLE "review" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "reviewer_id" UUID NOT NULL,
    "author_actor_id" UUID NOT NULL,
    "rating" "ReviewRating" NOT NULL,
    "rating_label" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "status" "ReviewStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "published_by" UUID,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_reason" TEXT,
    "withdrawn_by" UUID,

    CONSTRAINT "review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_evidence" (
    "id" UUID NOT NULL,
    "review_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "source_id" UUID,
    "url" TEXT,
    "relation" "EvidenceRelation" NOT NULL,
    "note" TEXT,

    CONSTRAINT "review_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" UUID,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "actor_id" UUID NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "fingerprint" CHAR(64) NOT NULL,
    "status" INTEGER,
    "headers" JSONB,
    "body" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("actor_id","key_hash")
);

-- CreateIndex
CREATE INDEX "review_claim_id_status_idx" ON "review"("claim_id", "status");

-- CreateIndex
CREATE INDEX "review_reviewer_id_idx" ON "review"("reviewer_id");

-- CreateIndex
CREATE INDEX "review_created_at_idx" ON "review"("created_at");

-- CreateIndex
CREATE INDEX "review_evidence_source_id_idx" ON "review_evidence"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_evidence_review_id_position_key" ON "review_evidence"("review_id", "position");

-- CreateIndex
CREATE INDEX "idempotency_record_expires_at_idx" ON "idempotency_record"("expires_at");

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_author_actor_id_fkey" FOREIGN KEY ("author_actor_id") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_withdrawn_by_fkey" FOREIGN KEY ("withdrawn_by") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_record" ADD CONSTRAINT "idempotency_record_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ── Guards the database holds by itself (SPEC §1.6, §2) ──────────────────

-- A withdrawn review says why, when and by whom; nothing else carries a withdrawal.
ALTER TABLE "review"
  ADD CONSTRAINT "review_withdrawal_reason" CHECK (
    ("status" = 'WITHDRAWN' AND "withdrawn_at" IS NOT NULL AND "withdrawn_by" IS NOT NULL
      AND "withdrawn_reason" IS NOT NULL AND btrim("withdrawn_reason") <> '') OR
    ("status" <> 'WITHDRAWN' AND "withdrawn_at" IS NULL AND "withdrawn_reason" IS NULL AND "withdrawn_by" IS NULL)),
  -- Only a review that went through publication is (or was) public, and it names who published it.
  ADD CONSTRAINT "review_publication" CHECK (
    ("status" IN ('PUBLISHED', 'WITHDRAWN')) = ("published_at" IS NOT NULL AND "published_by" IS NOT NULL)),
  ADD CONSTRAINT "review_version_positive" CHECK ("version" >= 1);

-- Evidence points at exactly one thing: a recorded source or an outside URL.
ALTER TABLE "review_evidence"
  ADD CONSTRAINT "review_evidence_target" CHECK (num_nonnulls("source_id", "url") = 1),
  ADD CONSTRAINT "review_evidence_position" CHECK ("position" >= 0);

-- A stored idempotent response is complete or absent, never half written.
ALTER TABLE "idempotency_record"
  ADD CONSTRAINT "idempotency_record_completion" CHECK (
    ("completed_at" IS NULL AND "status" IS NULL AND "body" IS NULL) OR
    ("completed_at" IS NOT NULL AND "status" IS NOT NULL));

-- Invariant 2: reviews are withdrawn, never deleted; and what was published is
-- not rewritten afterwards (a correction is a new review).
CREATE FUNCTION "review_guard"() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reviews are withdrawn, never deleted' USING ERRCODE = 'CP002';
  END IF;
  IF OLD."status" IN ('PUBLISHED', 'WITHDRAWN') AND
     (NEW."claim_id", NEW."reviewer_id", NEW."author_actor_id", NEW."rating", NEW."rating_label", NEW."summary")
       IS DISTINCT FROM
     (OLD."claim_id", OLD."reviewer_id", OLD."author_actor_id", OLD."rating", OLD."rating_label", OLD."summary") THEN
    RAISE EXCEPTION 'a published review is not rewritten' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "review_no_delete_or_rewrite" BEFORE UPDATE OR DELETE ON "review"
  FOR EACH ROW EXECUTE FUNCTION "review_guard"();
