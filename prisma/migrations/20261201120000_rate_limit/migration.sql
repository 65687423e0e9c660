-- Rate-limit counts shared by every instance (rate-limiter-flexible's PostgreSQL store).
-- In a schema of its own, outside the Prisma schema; UNLOGGED: counts that a crash
-- forgets cost nothing, and they are not shipped to replicas.
CREATE SCHEMA IF NOT EXISTS "ratelimit";

CREATE UNLOGGED TABLE "ratelimit"."counts" (
    "key" VARCHAR(255) PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);

CREATE INDEX "counts_expire_idx" ON "ratelimit"."counts" ("expire");
