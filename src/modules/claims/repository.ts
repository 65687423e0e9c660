import type { PreparedRead, Prisma } from '../../db/client';
import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import { MovedError, NotFoundError } from '../../shared/errors';
import { partyRefSelect } from '../parties/repository';
import type { PartyRef } from '../parties/presenter';
import { presentPartyRef } from '../parties/presenter';
import { currentPositions, deriveContestation } from './positions';
import { DOSSIER_SQL } from './dossier-sql';
import type { AssertionRow, ClaimSummaryRow } from './presenter';

type Db = Tx | Prisma;

export const positionInclude = {
  party: { select: partyRefSelect },
  speaker: { select: partyRefSelect },
  source: { select: { id: true, title: true, url: true, publisher: { select: partyRefSelect } } },
} as const;

const relatedClaimSelect = { id: true, statement: true, contestation: true, mergedIntoId: true } as const;
const relationInclude = { assertion: { select: { withdrawnAt: true, party: { select: partyRefSelect } } } } as const;

export const dossierInclude = {
  // In the order the dossier statement gives them (dossier-sql.ts).
  subjects: { include: { party: { select: partyRefSelect } }, orderBy: { partyId: 'asc' } },
  assertions: { include: positionInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  outgoingRelations: { include: { ...relationInclude, targetClaim: { select: relatedClaimSelect } }, orderBy: { id: 'asc' } },
  incomingRelations: { include: { ...relationInclude, sourceClaim: { select: relatedClaimSelect } }, orderBy: { id: 'asc' } },
  mergedFrom: { select: { id: true } },
} satisfies PrismaNS.ClaimInclude;

const partyRefJson = (alias: string) =>
  `json_build_object('id', ${alias}."id", 'slug', ${alias}."slug", 'name', ${alias}."name", 'kind', ${alias}."kind")`;

/**
 * What a search hit shows — the claim, its subjects, its active positions and
 * the parties countering it — for a page of claims in one statement (the
 * shape presentClaimSummary reads). One round trip instead of one per
 * relation: search pages are the hottest read.
 */
const CLAIM_SUMMARY_SQL = `
SELECT c."id"::text AS "id", c."statement", c."topics", c."language", c."version", c."contestation"::text AS "contestation",
  c."created_at" AS "createdAt", c."updated_at" AS "updatedAt",
  coalesce((SELECT json_agg(json_build_object('party', ${partyRefJson('p')}))
    FROM "claim_subject" s JOIN "party" p ON p."id" = s."party_id" WHERE s."claim_id" = c."id"), '[]') AS "subjects",
  coalesce((SELECT json_agg(json_build_object(
      'id', a."id", 'claimId', a."claim_id", 'partyId', a."party_id", 'stance', a."stance", 'quote', a."quote", 'quoteKind', a."quote_kind",
      'anchorExact', a."anchor_exact", 'anchorPrefix', a."anchor_prefix", 'anchorSuffix', a."anchor_suffix",
      'anchorStart', a."anchor_start", 'anchorEnd', a."anchor_end", 'assertedAt', a."asserted_at",
      'assertedAtPrecision', a."asserted_at_precision", 'occasion', a."occasion", 'createdAt', a."created_at",
      'withdrawnAt', a."withdrawn_at", 'withdrawnReason', a."withdrawn_reason",
      'party', ${partyRefJson('p')},
      'speaker', CASE WHEN sp."id" IS NULL THEN NULL ELSE ${partyRefJson('sp')} END,
      'source', json_build_object('id', so."id", 'title', so."title", 'url', so."url",
        'publisher', CASE WHEN pub."id" IS NULL THEN NULL ELSE ${partyRefJson('pub')} END)))
    FROM "assertion" a
    JOIN "party" p ON p."id" = a."party_id"
    LEFT JOIN "party" sp ON sp."id" = a."speaker_id"
    JOIN "source" so ON so."id" = a."source_id"
    LEFT JOIN "party" pub ON pub."id" = so."publisher_id"
    WHERE a."claim_id" = c."id" AND a."withdrawn_at" IS NULL), '[]') AS "assertions",
  coalesce((SELECT json_agg(json_build_object('assertion', json_build_object('party', json_build_object('name', rp."name"))))
    FROM "claim_relation" r
    JOIN "assertion" ra ON ra."id" = r."assertion_id" AND ra."withdrawn_at" IS NULL
    JOIN "party" rp ON rp."id" = ra."party_id"
    JOIN "claim" sc ON sc."id" = r."source_claim_id" AND sc."merged_into_id" IS NULL
    WHERE r."target_claim_id" = c."id" AND r."type" IN ('COUNTERS', 'CONTRADICTS') AND r."basis" = 'PARTY'), '[]') AS "incomingRelations"
FROM "claim" c WHERE c."id" = ANY($1::uuid[])`;

type Json<T> = T | string;
const parsed = <T>(v: Json<T>): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export async function loadClaimSummaryRows(db: Db, ids: string[]): Promise<ClaimSummaryRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<RawSummaryRow[]>(CLAIM_SUMMARY_SQL, ids);
  return rows.map((r) => ({
    ...r,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    subjects: parsed(r.subjects),
    incomingRelations: parsed(r.incomingRelations),
    assertions: parsed(r.assertions).map((a) => ({
      ...a,
      assertedAt: date(a.assertedAt),
      createdAt: new Date(a.createdAt),
      withdrawnAt: date(a.withdrawnAt),
    })),
  }));
}

type RawAssertion = Omit<AssertionRow, 'assertedAt' | 'createdAt' | 'withdrawnAt'> & { assertedAt: string | null; createdAt: string; withdrawnAt: string | null };
type RawSummaryRow = Omit<ClaimSummaryRow, 'subjects' | 'assertions' | 'incomingRelations' | 'createdAt' | 'updatedAt'> & {
  createdAt: Date | string;
  updatedAt: Date | string;
  subjects: Json<ClaimSummaryRow['subjects']>;
  assertions: Json<RawAssertion[]>;
  incomingRelations: Json<ClaimSummaryRow['incomingRelations']>;
};

/** Follows merges to the claim that survived. */
async function survivorOf(db: Db, id: string): Promise<string> {
  let current = id;
  for (let hops = 0; hops < 20; hops += 1) {
    const row = await db.claim.findUnique({ where: { id: current }, select: { mergedIntoId: true } });
    if (!row?.mergedIntoId) return current;
    current = row.mergedIntoId;
  }
  return current;
}

/**
 * A claim that is still itself. A merged claim answers with a redirect to
 * its survivor (`suffix` keeps the rest of the path: /graph, /assertions…).
 */
export async function requireLiveClaim(db: Db, id: string, suffix = '') {
  const claim = await db.claim.findUnique({ where: { id } });
  if (!claim) throw new NotFoundError('claim', id);
  if (claim.mergedIntoId) throw new MovedError(`/v1/claims/${await survivorOf(db, claim.mergedIntoId)}${suffix}`);
  return claim;
}

/**
 * Row locks on the claims a write will change, always in id order so two
 * writers never wait on each other in a cycle. Holding them makes the
 * derived state (contestation) computed after the change see every
 * committed assertion.
 */
export async function lockClaims(tx: Tx, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.$queryRawUnsafe('SELECT 1 FROM "claim" WHERE "id" = $1::uuid FOR UPDATE', id);
  }
}

/** Locks a claim, then checks it is still itself: a write queued behind a merge is redirected, never lands on the duplicate. */
export async function lockLiveClaim(tx: Tx, id: string, suffix = '') {
  await lockClaims(tx, [id]);
  return requireLiveClaim(tx, id, suffix);
}

/**
 * Recomputes the derived contestation of claims whose dossier changed and,
 * unless the claim is being created, bumps their version (their ETag).
 */
export async function refreshClaims(tx: Tx, ids: string[], { bumpVersion = true } = {}): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    const assertions = await tx.assertion.findMany({
      where: { claimId: id, withdrawnAt: null },
      select: { id: true, partyId: true, stance: true, assertedAt: true, createdAt: true, withdrawnAt: true },
    });
    const counters = await tx.claimRelation.count({
      where: {
        targetClaimId: id,
        type: { in: ['COUNTERS', 'CONTRADICTS'] },
        basis: 'PARTY',
        assertion: { withdrawnAt: null },
        sourceClaim: { mergedIntoId: null },
      },
    });
    const contestation = deriveContestation(currentPositions(assertions), counters);
    await tx.claim.update({ where: { id }, data: { contestation, ...(bumpVersion && { version: { increment: 1 } }) } });
  }
}

export type PositionSummary = { affirms: PartyRef[]; denies: PartyRef[]; questions: PartyRef[]; retracts: PartyRef[] };

/** Who holds which stance on each claim: the attribution shown wherever a claim is only mentioned. */
export async function loadPositionSummaries(db: Db, claimIds: string[]): Promise<Map<string, PositionSummary>> {
  const rows = await db.assertion.findMany({
    where: { claimId: { in: [...new Set(claimIds)] }, withdrawnAt: null },
    select: {
      id: true, claimId: true, partyId: true, stance: true, assertedAt: true, createdAt: true, withdrawnAt: true,
      party: { select: partyRefSelect },
    },
  });
  const byClaim = new Map<string, typeof rows>();
  for (const r of rows) byClaim.set(r.claimId, [...(byClaim.get(r.claimId) ?? []), r]);
  const out = new Map<string, PositionSummary>();
  for (const id of claimIds) {
    const summary: PositionSummary = { affirms: [], denies: [], questions: [], retracts: [] };
    for (const p of currentPositions(byClaim.get(id) ?? [])) {
      summary[STANCE_KEY[p.stance]].push(presentPartyRef(p.party));
    }
    out.set(id, summary);
  }
  return out;
}

export const STANCE_KEY = { AFFIRMS: 'affirms', DENIES: 'denies', QUESTIONS: 'questions', RETRACTS: 'retracts' } as const;

/**
 * The whole dossier in one statement (relations are loaded by JSON joins).
 * A merged claim answers with a redirect to its survivor instead.
 */
export async function loadDossierRow(db: Db, id: string) {
  const row = await db.claim.findUnique({ where: { id }, include: dossierInclude });
  if (!row) throw new NotFoundError('claim', id);
  if (row.mergedIntoId) throw new MovedError(`/v1/claims/${await survivorOf(db, row.mergedIntoId)}`);
  return row;
}
export type DossierRow = Awaited<ReturnType<typeof loadDossierRow>>;

/** What the dossier statement returns: the answer, and what its one-line summary is made of (JSON). */
export type DossierJsonRow = { body: string; summary: string };

/** The dossier as JSON, in one prepared statement; undefined when the claim is missing or merged. */
export async function loadDossierJson(read: PreparedRead, id: string): Promise<DossierJsonRow | undefined> {
  return (await read<DossierJsonRow>('claim-dossier', DOSSIER_SQL, [id]))[0];
}
