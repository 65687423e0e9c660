import type { Prisma } from '../../db/client';
import type { Prisma as PrismaNS } from '../../generated/prisma/client';
import type { Tx } from '../../db/transaction';
import { MovedError, NotFoundError } from '../../shared/errors';
import { partyRefSelect } from '../parties/repository';
import type { PartyRef } from '../parties/presenter';
import { presentPartyRef } from '../parties/presenter';
import { currentPositions, deriveContestation } from './positions';

type Db = Tx | Prisma;

export const positionInclude = {
  party: { select: partyRefSelect },
  speaker: { select: partyRefSelect },
  source: { select: { id: true, title: true, url: true, publisher: { select: partyRefSelect } } },
} as const;

const relatedClaimSelect = { id: true, statement: true, contestation: true, mergedIntoId: true } as const;
const relationInclude = { assertion: { select: { withdrawnAt: true, party: { select: partyRefSelect } } } } as const;

export const dossierInclude = {
  subjects: { include: { party: { select: partyRefSelect } } },
  assertions: { include: positionInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  outgoingRelations: { include: { ...relationInclude, targetClaim: { select: relatedClaimSelect } } },
  incomingRelations: { include: { ...relationInclude, sourceClaim: { select: relatedClaimSelect } } },
} satisfies PrismaNS.ClaimInclude;

/** What a search hit shows: the claim, its subjects, its active positions and who counters it. */
export const claimSummaryInclude = {
  subjects: { include: { party: { select: partyRefSelect } } },
  assertions: { where: { withdrawnAt: null }, include: positionInclude },
  incomingRelations: {
    where: { type: { in: ['COUNTERS', 'CONTRADICTS'] }, basis: 'PARTY', assertion: { withdrawnAt: null }, sourceClaim: { mergedIntoId: null } },
    select: { assertion: { select: { party: { select: { name: true } } } } },
  },
} satisfies PrismaNS.ClaimInclude;

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

export async function loadDossierRow(db: Db, id: string) {
  return db.claim.findUniqueOrThrow({ where: { id }, include: dossierInclude });
}
export type DossierRow = Awaited<ReturnType<typeof loadDossierRow>>;
