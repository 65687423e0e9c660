import type { Tx } from '../../db/transaction';
import type { AppContext, Caller } from '../../http/context';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { uuidv7, type FixedId } from '../../shared/uuid';
import { presentAssertion } from '../claims/presenter';
import { lockClaims, lockLiveClaim, positionInclude, refreshClaims } from '../claims/repository';
import { write } from '../write';
import { anchorQuote } from './anchor';
import { referencedParty, referencedSource } from './references';
import type { AssertionInput, WithdrawInput } from './schema';

const DAY_MS = 86_400_000;

function assertedAtOf(value: string | undefined) {
  if (value === undefined) return { assertedAt: null, assertedAtPrecision: null };
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = new Date(dayOnly ? `${value}T00:00:00Z` : value);
  if (at.getTime() > Date.now() + DAY_MS) {
    throw new UnprocessableError('asserted-in-future', 'assertedAt lies in the future', [{ path: 'assertedAt', message: 'in the future' }]);
  }
  return { assertedAt: at, assertedAtPrecision: dayOnly ? ('DAY' as const) : ('INSTANT' as const) };
}

/**
 * Checks an assertion against what it names (party, speaker, source) and
 * anchors its quote in the source text, then inserts it.
 */
export async function insertAssertion(tx: Tx, caller: Caller, claimId: string, input: AssertionInput & FixedId, path = '') {
  const party = await referencedParty(tx, input.partyId, `${path}partyId`);
  const speaker = input.speakerId ? await referencedParty(tx, input.speakerId, `${path}speakerId`) : null;
  if (speaker && speaker.kind !== 'PERSON') {
    throw new UnprocessableError('speaker-not-person', `The speaker must be a PERSON; ${speaker.name} is a ${speaker.kind}`, [
      { path: `${path}speakerId`, message: 'not a PERSON' },
    ]);
  }
  const source = await referencedSource(tx, input.sourceId, `${path}sourceId`);
  let anchor = null;
  if (source.text !== null) {
    anchor = anchorQuote(source.text, input.quote, input.anchor);
  } else if (input.anchor) {
    throw new UnprocessableError('source-has-no-text', 'The source holds no text to anchor the quote in', [
      { path: `${path}anchor`, message: 'source has no text' },
    ]);
  }
  return tx.assertion.create({
    data: {
      id: input.id ?? uuidv7(),
      claimId,
      partyId: party.id,
      speakerId: speaker?.id ?? null,
      sourceId: source.id,
      stance: input.stance,
      quote: input.quote,
      quoteKind: input.quoteKind,
      anchorExact: anchor?.exact ?? null,
      anchorPrefix: anchor?.prefix ?? null,
      anchorSuffix: anchor?.suffix ?? null,
      anchorStart: anchor?.start ?? null,
      anchorEnd: anchor?.end ?? null,
      ...assertedAtOf(input.assertedAt),
      occasion: input.occasion ?? null,
      createdById: caller.actor?.id ?? null,
    },
    include: positionInclude,
  });
}

export async function addAssertion(app: AppContext, caller: Caller, claimId: string, input: AssertionInput & FixedId) {
  return write(app, caller, async (tx, audit) => {
    await lockLiveClaim(tx, claimId, '/assertions');
    const assertion = await insertAssertion(tx, caller, claimId, input);
    await refreshClaims(tx, [claimId]);
    const presented = presentAssertion(assertion);
    audit({ action: 'assertion.create', entityType: 'assertion', entityId: assertion.id, after: presented });
    return presented;
  });
}

/**
 * Locks the claims a withdrawal changes — the assertion's claim and those its
 * relations point at — then checks they are still the ones: a merge may have
 * moved the assertion while this waited, and then it locks again.
 */
async function lockClaimsOfAssertion(tx: Tx, id: string): Promise<string[]> {
  const locked = new Set<string>();
  for (;;) {
    const found = await tx.assertion.findUnique({ where: { id }, select: { claimId: true } });
    if (!found) throw new NotFoundError('assertion', id);
    const basisOf = await tx.claimRelation.findMany({ where: { assertionId: id }, select: { targetClaimId: true } });
    const touched = [found.claimId, ...basisOf.map((r) => r.targetClaimId)];
    if (touched.every((c) => locked.has(c))) return touched;
    await lockClaims(tx, touched);
    for (const c of touched) locked.add(c);
  }
}

/** Withdrawal keeps the assertion in history and takes it out of the positions. */
export async function withdrawAssertion(app: AppContext, caller: Caller, id: string, input: WithdrawInput) {
  return write(app, caller, async (tx, audit) => {
    const touched = await lockClaimsOfAssertion(tx, id);
    const current = await tx.assertion.findUniqueOrThrow({ where: { id }, include: positionInclude });
    if (current.withdrawnAt) throw new ConflictError('already-withdrawn', 'This assertion was already withdrawn');
    const others = await tx.assertion.count({ where: { claimId: current.claimId, withdrawnAt: null, id: { not: id } } });
    if (others === 0) {
      throw new ConflictError(
        'last-active-assertion',
        'This is the claim’s last active assertion; a claim must stay attributed (merge the claim instead, or add the correct attribution first)',
      );
    }
    const withdrawn = await tx.assertion.update({
      where: { id },
      data: { withdrawnAt: new Date(), withdrawnReason: input.reason, withdrawnById: caller.actor?.id ?? null },
      include: positionInclude,
    });
    await refreshClaims(tx, touched);
    const presented = presentAssertion(withdrawn);
    audit({ action: 'assertion.withdraw', entityType: 'assertion', entityId: id, before: presentAssertion(current), after: presented });
    return presented;
  });
}
