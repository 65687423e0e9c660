import type { AppContext, Caller } from '../../http/context';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import { uuidv7, type FixedId } from '../../shared/uuid';
import { referencedClaim } from '../assertions/references';
import { lockClaims, refreshClaims, requireLiveClaim } from '../claims/repository';
import { partyRefSelect } from '../parties/repository';
import { presentPartyRef, type PartyRefRow } from '../parties/presenter';
import { write } from '../write';
import type { CreateRelationInput } from './schema';
import type { RelationBasis, RelationType } from '../../generated/prisma/enums';
import type { RelationOut } from '../claims/responses';

type RelationRow = {
  id: string;
  sourceClaimId: string;
  targetClaimId: string;
  type: RelationType;
  basis: RelationBasis;
  assertionId: string | null;
  note: string | null;
  createdAt: Date;
  assertion: { party: PartyRefRow } | null;
};

export function presentRelation(r: RelationRow): RelationOut {
  return {
    id: r.id,
    type: r.type,
    sourceClaimId: r.sourceClaimId,
    targetClaimId: r.targetClaimId,
    basis: r.basis,
    assertionId: r.assertionId,
    by: r.assertion ? presentPartyRef(r.assertion.party) : null,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  };
}

/** "Claim B COUNTERS claim A": B is the claim in the path, A the target. */
export async function createRelation(app: AppContext, caller: Caller, claimId: string, input: CreateRelationInput & FixedId) {
  return write(app, caller, async (tx, audit) => {
    if (input.targetClaimId === claimId) {
      throw new UnprocessableError('self-relation', 'A claim cannot be related to itself', [{ path: 'targetClaimId', message: 'same claim' }]);
    }
    await lockClaims(tx, [claimId, input.targetClaimId]);
    await requireLiveClaim(tx, claimId, '/relations');
    await referencedClaim(tx, input.targetClaimId, 'targetClaimId');
    if (input.assertionId) {
      const basis = await tx.assertion.findUnique({ where: { id: input.assertionId }, select: { claimId: true, withdrawnAt: true } });
      if (!basis || basis.claimId !== claimId || basis.withdrawnAt) {
        throw new UnprocessableError('bad-basis', 'assertionId must be an active assertion of this claim (the party that puts it forward)', [
          { path: 'assertionId', message: 'not an active assertion of this claim' },
        ]);
      }
    }
    const existing = await tx.claimRelation.findUnique({
      where: { sourceClaimId_targetClaimId_type: { sourceClaimId: claimId, targetClaimId: input.targetClaimId, type: input.type } },
      select: { id: true },
    });
    if (existing) throw new ConflictError('relation-exists', `This claim already ${input.type} that claim`, { existingId: existing.id });
    const relation = await tx.claimRelation.create({
      data: {
        id: input.id ?? uuidv7(),
        sourceClaimId: claimId,
        targetClaimId: input.targetClaimId,
        type: input.type,
        basis: input.basis,
        assertionId: input.assertionId ?? null,
        note: input.note ?? null,
        createdById: caller.actor?.id ?? null,
      },
      include: { assertion: { select: { party: { select: partyRefSelect } } } },
    });
    await refreshClaims(tx, [claimId, input.targetClaimId]);
    const presented = presentRelation(relation);
    audit({ action: 'relation.create', entityType: 'claim_relation', entityId: relation.id, after: presented });
    return presented;
  });
}
