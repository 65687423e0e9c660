import type { Tx } from '../../db/transaction';
import { UnprocessableError } from '../../shared/errors';
import { partyWhere } from '../parties/repository';

/** A party named in a request body: absent is a 422 on that field, not a 404 of the URL. */
export async function referencedParty(tx: Tx, ref: string, path: string) {
  const party = await tx.party.findUnique({ where: partyWhere(ref) });
  if (!party) {
    throw new UnprocessableError('unknown-party', `No party with id or slug '${ref}'`, [{ path, message: 'no such party' }]);
  }
  return party;
}

export async function referencedSource(tx: Tx, id: string, path: string) {
  const source = await tx.source.findUnique({ where: { id } });
  if (!source) throw new UnprocessableError('unknown-source', `No source with id '${id}'`, [{ path, message: 'no such source' }]);
  return source;
}

export async function referencedClaim(tx: Tx, id: string, path: string) {
  const claim = await tx.claim.findUnique({ where: { id } });
  if (!claim) throw new UnprocessableError('unknown-claim', `No claim with id '${id}'`, [{ path, message: 'no such claim' }]);
  if (claim.mergedIntoId) {
    throw new UnprocessableError('claim-merged', `Claim ${id} was merged into ${claim.mergedIntoId}; use that one`, [
      { path, message: 'merged claim' },
    ], { survivorId: claim.mergedIntoId });
  }
  return claim;
}
