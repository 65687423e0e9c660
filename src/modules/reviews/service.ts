import type { ReviewStatus } from '../../generated/prisma/enums';
import type { Tx } from '../../db/transaction';
import type { AppContext, Caller } from '../../http/context';
import { DRAFT_STATUSES, mayReadDrafts } from './visibility';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { requireCurrent, type IfMatch } from '../../http/etag';
import { uuidv7 } from '../../shared/uuid';
import { referencedParty, referencedSource } from '../assertions/references';
import { lockLiveClaim } from '../claims/repository';
import { readSettings } from '../settings/service';
import { write } from '../write';
import { contributorIds, presentReview, reviewSnapshot } from './presenter';
import { addContributor, findReview, lockReview, reviewInclude } from './repository';
import type { CreateReviewInput, EvidenceInput, PatchReviewInput, TransitionInput } from './schema';

/**
 * The workflow (SPEC §1.6). A review in review may be sent back to its
 * author as a draft; once published it can only be withdrawn, and a
 * withdrawn review stays as history.
 */
export const TRANSITIONS: Record<ReviewStatus, ReviewStatus[]> = {
  DRAFT: ['IN_REVIEW'],
  IN_REVIEW: ['PUBLISHED', 'DRAFT'],
  PUBLISHED: ['WITHDRAWN'],
  WITHDRAWN: [],
};

const EDITABLE = DRAFT_STATUSES;

async function evidenceRows(tx: Tx, evidence: EvidenceInput[]) {
  const rows = [];
  for (const [position, e] of evidence.entries()) {
    if (e.sourceId) await referencedSource(tx, e.sourceId, `evidence.${position}.sourceId`);
    rows.push({ id: uuidv7(), position, sourceId: e.sourceId ?? null, url: e.url ?? null, relation: e.relation, note: e.note ?? null });
  }
  return rows;
}

function actorId(caller: Caller): string {
  if (!caller.actor) throw new ForbiddenError('Reviews are written by an identified actor');
  return caller.actor.id;
}

export async function createReview(app: AppContext, caller: Caller, claimId: string, input: CreateReviewInput) {
  return write(app, caller, async (tx, audit) => {
    // Locked: the statement the review judges (taken by the database) is the one in force.
    await lockLiveClaim(tx, claimId, '/reviews');
    const reviewer = await referencedParty(tx, input.reviewerId, 'reviewerId');
    const author = actorId(caller);
    const review = await tx.review.create({
      data: {
        id: uuidv7(),
        claimId,
        reviewerId: reviewer.id,
        authorActorId: author,
        contributors: { create: [{ actorId: author }] },
        rating: input.rating,
        ratingLabel: input.ratingLabel,
        summary: input.summary,
        url: input.url ?? null,
        evidence: { create: await evidenceRows(tx, input.evidence) },
      },
      include: reviewInclude,
    });
    audit({ action: 'review.create', entityType: 'review', entityId: review.id, after: reviewSnapshot(review) });
    return presentReview(review);
  });
}

export async function getReview(app: AppContext, caller: Caller, id: string) {
  const review = await findReview(app.prisma, id);
  if (!review || (!mayReadDrafts(caller) && DRAFT_STATUSES.includes(review.status))) throw new NotFoundError('review', id);
  return presentReview(review);
}

async function lockedReview(tx: Tx, id: string) {
  await lockReview(tx, id);
  const review = await findReview(tx, id);
  if (!review) throw new NotFoundError('review', id);
  return review;
}

export async function patchReview(app: AppContext, caller: Caller, id: string, ifMatch: IfMatch, input: PatchReviewInput) {
  return write(app, caller, async (tx, audit) => {
    const current = await lockedReview(tx, id);
    requireCurrent(ifMatch, presentReview(current), 'review');
    if (!EDITABLE.includes(current.status)) {
      throw new ConflictError('review-not-editable', `A ${current.status} review cannot be edited; only DRAFT and IN_REVIEW ones can`, { reviewStatus: current.status });
    }
    const reviewer = input.reviewerId ? await referencedParty(tx, input.reviewerId, 'reviewerId') : undefined;
    const evidence = input.evidence ? await evidenceRows(tx, input.evidence) : undefined;
    // Whoever changes the content shares its authorship: they may not publish it either.
    await addContributor(tx, id, actorId(caller));
    const updated = await tx.review.update({
      where: { id },
      data: {
        ...(reviewer && { reviewerId: reviewer.id }),
        ...(input.rating !== undefined && { rating: input.rating }),
        ...(input.ratingLabel !== undefined && { ratingLabel: input.ratingLabel }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.url !== undefined && { url: input.url }),
        ...(evidence && { evidence: { deleteMany: {}, create: evidence } }),
        version: { increment: 1 },
      },
      include: reviewInclude,
    });
    audit({ action: 'review.update', entityType: 'review', entityId: id, before: reviewSnapshot(current), after: reviewSnapshot(updated) });
    return presentReview(updated);
  });
}

export async function transitionReview(app: AppContext, caller: Caller, id: string, input: TransitionInput) {
  return write(app, caller, async (tx, audit) => {
    const current = await lockedReview(tx, id);
    const from = current.status;
    const allowed = TRANSITIONS[from];
    if (!allowed.includes(input.to)) {
      throw new ConflictError('illegal-transition', `A ${from} review cannot move to ${input.to}`, { from, to: input.to, allowed });
    }
    const me = actorId(caller);
    if (input.to === 'WITHDRAWN' && !input.reason) {
      throw new UnprocessableError('reason-required', 'Withdrawing a published review needs a reason', [{ path: 'reason', message: 'required when withdrawing' }]);
    }
    if (input.to === 'PUBLISHED' && contributorIds(current).includes(me) && !(await readSettings(tx)).allowSelfPublish) {
      throw new ForbiddenError('A review is published by someone who wrote none of it: not its author, nor anyone who edited it (a second pair of eyes)', {
        rule: 'second-pair-of-eyes',
      });
    }
    const now = new Date();
    const updated = await tx.review.update({
      where: { id },
      data: {
        status: input.to,
        version: { increment: 1 },
        ...(input.to === 'PUBLISHED' && { publishedAt: now, publishedById: me }),
        ...(input.to === 'WITHDRAWN' && { withdrawnAt: now, withdrawnReason: input.reason, withdrawnById: me }),
      },
      include: reviewInclude,
    });
    if (input.to === 'PUBLISHED' || input.to === 'WITHDRAWN') {
      // The dossier shows published reviews: its ETag (the claim's version) must change with them.
      await tx.claim.update({ where: { id: current.claimId }, data: { version: { increment: 1 } } });
    }
    audit({
      action: 'review.transition',
      entityType: 'review',
      entityId: id,
      before: { status: from, version: current.version },
      after: { status: input.to, version: updated.version, reason: input.reason ?? null },
    });
    return presentReview(updated);
  });
}
