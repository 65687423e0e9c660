-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PartyKind" AS ENUM ('STATE', 'GOVERNMENT_BODY', 'INTERGOVERNMENTAL', 'ARMED_GROUP', 'POLITICAL_PARTY', 'ORGANIZATION', 'MEDIA', 'PERSON', 'COALITION');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('ARTICLE', 'SOCIAL_POST', 'PRESS_RELEASE', 'PRESS_CONFERENCE', 'OFFICIAL_STATEMENT', 'TRANSCRIPT', 'REPORT', 'FACT_CHECK', 'OTHER');

-- CreateEnum
CREATE TYPE "Stance" AS ENUM ('AFFIRMS', 'DENIES', 'QUESTIONS', 'RETRACTS');

-- CreateEnum
CREATE TYPE "QuoteKind" AS ENUM ('DIRECT', 'INDIRECT');

-- CreateEnum
CREATE TYPE "Contestation" AS ENUM ('uncontested', 'contested', 'retracted');

-- CreateEnum
CREATE TYPE "RelationType" AS ENUM ('COUNTERS', 'CONTRADICTS', 'SUPPORTS', 'QUALIFIES');

-- CreateEnum
CREATE TYPE "RelationBasis" AS ENUM ('PARTY', 'EDITORIAL');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('READER', 'EDITOR', 'REVIEWER', 'ADMIN');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'INSTANT');

-- CreateTable
CREATE TABLE "actor" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "actor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "party" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PartyKind" NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "country" CHAR(2),
    "description" TEXT,
    "wikidata_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "party_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliation" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "from_date" DATE,
    "to_date" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "publisher_id" UUID,
    "published_at" TIMESTAMPTZ(3),
    "language" TEXT,
    "text" TEXT,
    "content_sha256" CHAR(64),
    "retrieved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim" (
    "id" UUID NOT NULL,
    "statement" TEXT NOT NULL,
    "topics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "language" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "contestation" "Contestation" NOT NULL DEFAULT 'uncontested',
    "merged_into_id" UUID,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_subject" (
    "claim_id" UUID NOT NULL,
    "party_id" UUID NOT NULL,

    CONSTRAINT "claim_subject_pkey" PRIMARY KEY ("claim_id","party_id")
);

-- CreateTable
CREATE TABLE "assertion" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "speaker_id" UUID,
    "source_id" UUID NOT NULL,
    "stance" "Stance" NOT NULL,
    "quote" TEXT NOT NULL,
    "quote_kind" "QuoteKind" NOT NULL,
    "anchor_exact" TEXT,
    "anchor_prefix" TEXT,
    "anchor_suffix" TEXT,
    "anchor_start" INTEGER,
    "anchor_end" INTEGER,
    "asserted_at" TIMESTAMPTZ(3),
    "asserted_at_precision" "DatePrecision",
    "occasion" TEXT,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_reason" TEXT,
    "withdrawn_by" UUID,

    CONSTRAINT "assertion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_relation" (
    "id" UUID NOT NULL,
    "source_claim_id" UUID NOT NULL,
    "target_claim_id" UUID NOT NULL,
    "type" "RelationType" NOT NULL,
    "basis" "RelationBasis" NOT NULL,
    "assertion_id" UUID,
    "note" TEXT,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_relation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "request_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_actor_id_idx" ON "api_key"("actor_id");

-- CreateIndex
CREATE UNIQUE INDEX "party_slug_key" ON "party"("slug");

-- CreateIndex
CREATE INDEX "affiliation_party_id_idx" ON "affiliation"("party_id");

-- CreateIndex
CREATE UNIQUE INDEX "affiliation_person_id_party_id_role_key" ON "affiliation"("person_id", "party_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "source_url_key" ON "source"("url");

-- CreateIndex
CREATE INDEX "source_publisher_id_idx" ON "source"("publisher_id");

-- CreateIndex
CREATE INDEX "claim_merged_into_id_idx" ON "claim"("merged_into_id");

-- CreateIndex
CREATE INDEX "claim_subject_party_id_idx" ON "claim_subject"("party_id");

-- CreateIndex
CREATE INDEX "assertion_claim_id_idx" ON "assertion"("claim_id");

-- CreateIndex
CREATE INDEX "assertion_party_id_idx" ON "assertion"("party_id");

-- CreateIndex
CREATE INDEX "assertion_speaker_id_idx" ON "assertion"("speaker_id");

-- CreateIndex
CREATE INDEX "assertion_source_id_idx" ON "assertion"("source_id");

-- CreateIndex
CREATE INDEX "claim_relation_target_claim_id_idx" ON "claim_relation"("target_claim_id");

-- CreateIndex
CREATE UNIQUE INDEX "claim_relation_source_claim_id_target_claim_id_type_key" ON "claim_relation"("source_claim_id", "target_claim_id", "type");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_hash_key" ON "audit_event"("hash");

-- CreateIndex
CREATE INDEX "audit_event_entity_type_entity_id_idx" ON "audit_event"("entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source" ADD CONSTRAINT "source_publisher_id_fkey" FOREIGN KEY ("publisher_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_subject" ADD CONSTRAINT "claim_subject_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_subject" ADD CONSTRAINT "claim_subject_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_speaker_id_fkey" FOREIGN KEY ("speaker_id") REFERENCES "party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assertion" ADD CONSTRAINT "assertion_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_source_claim_id_fkey" FOREIGN KEY ("source_claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_target_claim_id_fkey" FOREIGN KEY ("target_claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_assertion_id_fkey" FOREIGN KEY ("assertion_id") REFERENCES "assertion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
