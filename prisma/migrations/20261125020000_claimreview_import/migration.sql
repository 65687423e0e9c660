-- ClaimReview interop (issue 5): the external identity of imported reviews,
-- so that re-importing a ClaimReview (or an export of one) writes nothing.

-- CreateTable
CREATE TABLE "claimreview_import" (
    "id" UUID NOT NULL,
    "identity" TEXT NOT NULL,
    "url" TEXT,
    "claim_reviewed" TEXT NOT NULL,
    "review_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "assertion_ids" UUID[],
    "item" JSONB NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "imported_by" UUID,

    CONSTRAINT "claimreview_import_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "claimreview_import_identity_key" ON "claimreview_import"("identity");

-- CreateIndex
CREATE UNIQUE INDEX "claimreview_import_review_id_key" ON "claimreview_import"("review_id");

-- CreateIndex
CREATE INDEX "claimreview_import_claim_id_idx" ON "claimreview_import"("claim_id");

-- CreateIndex
CREATE INDEX "claimreview_import_url_idx" ON "claimreview_import"("url");
