import type { Prisma } from '../../db/client';
import type { Tx } from '../../db/transaction';
import { presentClaimSummary } from './presenter';
import { loadClaimSummaryRows, type PositionSummary } from './repository';
import type { ClaimSummaryOut } from './responses';

/*
 * The hit read model (`claim_hit`, migration 20261202131000_claim_hits): a
 * claim as search shows it, presented once per change instead of once per
 * request. Triggers mark the hits a write affects stale, with the writing
 * transaction's id; `refreshStaleHits` presents them again before that
 * transaction commits, so a hit is never older than the data it shows.
 */

type Db = Tx | Prisma;

const BATCH = 500;

type Stale = { id: string; xid: string | null };
const STALE = `SELECT "claim_id"::text AS "id", "stale_xid"::text AS "xid" FROM "claim_hit" WHERE "body" IS NULL`;

/**
 * Presents these stale hits and stores them, with their texts' vectors and
 * word spans. A hit that a write touched since it was read as stale (rebuilt
 * or marked again by another transaction) is left to that write.
 */
async function storeHits(db: Db, stale: Stale[]): Promise<void> {
  const rows = await loadClaimSummaryRows(db, stale.map((s) => s.id));
  const xid = new Map(stale.map((s) => [s.id, s.xid]));
  if (rows.length === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE "claim_hit" h SET "body" = v."body", "heads" = t."heads", "vectors" = t."vectors", "words" = t."words", "stale_xid" = NULL
     FROM unnest($1::uuid[], $2::text[], $3::xid8[]) v("id", "body", "xid"), LATERAL "cp_hit_texts"(v."id") t
     WHERE h."claim_id" = v."id" AND h."body" IS NULL AND h."stale_xid" IS NOT DISTINCT FROM v."xid"`,
    rows.map((r) => r.id),
    rows.map((r) => JSON.stringify(presentClaimSummary(r))),
    rows.map((r) => xid.get(r.id) ?? null),
  );
}

/** Rebuilds every hit this transaction made stale (a renamed party's claims included), in batches. */
export async function refreshStaleHits(tx: Tx): Promise<void> {
  await refreshInBatches(tx, `AND "stale_xid" = pg_current_xact_id()`, BATCH);
}

async function refreshInBatches(db: Db, where: string, batch: number, onProgress?: (done: number) => void): Promise<number> {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const stale = await db.$queryRawUnsafe<Stale[]>(`${STALE} ${where} AND "claim_id" > $1::uuid ORDER BY "claim_id" LIMIT ${batch}`, after);
    if (stale.length === 0) return done;
    await storeHits(db, stale);
    done += stale.length;
    after = stale[stale.length - 1]!.id;
    onProgress?.(done);
    if (stale.length < batch) return done; // a short batch was the last: no second look on every write
  }
}

/**
 * Rebuilds hits left stale outside the service (a bulk load, the migration
 * that introduced them), `batch` claims per statement; returns how many.
 */
export async function refreshAllStaleHits(
  db: Prisma,
  { batch = 1000, part, onProgress }: { batch?: number; part?: [number, number]; onProgress?: (done: number) => void } = {},
): Promise<number> {
  // part [i, n]: the i-th of n disjoint shares, for workers side by side.
  const share = part ? `AND abs(hashtext("claim_id"::text)) % ${Math.trunc(part[1])} = ${Math.trunc(part[0])}` : '';
  return refreshInBatches(db, share, batch, onProgress);
}

/** Presents the hits of these claims, left stale by a bulk load, `batch` claims per statement. */
export async function refreshHitsOf(db: Prisma, ids: string[], batch = 1000): Promise<void> {
  for (let i = 0; i < ids.length; i += batch) await storeHits(db, ids.slice(i, i + batch).map((id) => ({ id, xid: null })));
}

/**
 * The hits of these claims as the API shows them: the stored presentation,
 * or, for one a write outside the service left stale, presented now.
 */
export async function loadHits(db: Db, ids: string[]): Promise<Map<string, ClaimSummaryOut>> {
  const rows = await db.$queryRawUnsafe<{ id: string; body: string | null }[]>(
    `SELECT "claim_id"::text AS "id", "body" FROM "claim_hit" WHERE "claim_id" = ANY($1::uuid[])`,
    [...new Set(ids)],
  );
  const out = new Map<string, ClaimSummaryOut>();
  for (const r of rows) if (r.body !== null) out.set(r.id, JSON.parse(r.body) as ClaimSummaryOut);
  for (const [id, hit] of await presentNow(db, ids.filter((id) => !out.has(id)))) out.set(id, hit);
  return out;
}

/** Hits a write outside the service left stale, presented the slow way. */
export async function presentNow(db: Db, ids: string[]): Promise<Map<string, ClaimSummaryOut>> {
  if (ids.length === 0) return new Map();
  return new Map((await loadClaimSummaryRows(db, ids)).map((row) => [row.id, presentClaimSummary(row)]));
}

/** Who holds which stance, as a claim is shown where it is only mentioned: the parties of the hit's positions. */
export function positionSummaryOf(hit: ClaimSummaryOut): PositionSummary {
  const refs = (ps: ClaimSummaryOut['positions']['affirms']) => ps.map((p) => p.party);
  return { affirms: refs(hit.positions.affirms), denies: refs(hit.positions.denies), questions: refs(hit.positions.questions), retracts: refs(hit.positions.retracts) };
}
