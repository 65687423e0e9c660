import { presentPartyRef } from '../parties/presenter';
import type { ReviewRow } from './repository';
import type { ReviewOut } from './responses';

const iso = (d: Date | null) => d?.toISOString() ?? null;

const actorRef = (a: { id: string; name: string }) => ({ id: a.id, name: a.name });

/** Everyone who wrote the review's content: its author first, then whoever edited it. */
export function contributorIds(r: Pick<ReviewRow, 'authorActorId' | 'contributors'>): string[] {
  return [...new Set([r.authorActorId, ...r.contributors.map((c) => c.actorId)])];
}

/**
 * A review, attributed twice: to the reviewing party and to the actors who
 * wrote it. `shownStatement` is the wording beside which it is shown (the
 * dossier's claim; by default its own claim's current wording).
 */
export function presentReview(r: ReviewRow, shownStatement: string = r.claim.statement): ReviewOut {
  const contributors = [r.author, ...r.contributors.map((c) => c.actor).filter((a) => a.id !== r.author.id)];
  return {
    id: r.id,
    claimId: r.claimId,
    status: r.status,
    reviewer: presentPartyRef(r.reviewer),
    author: actorRef(r.author),
    contributors: contributors.map(actorRef),
    /** The person who signed it, for the reviewer (a fact-checker's byline); null when unsigned. */
    byline: r.byline ? presentPartyRef(r.byline) : null,
    /** 'newsroom': written and published here; 'imported': another fact-checker's verdict, as published by them. */
    origin: r.origin as 'newsroom' | 'imported',
    url: r.url,
    rating: r.rating,
    ratingLabel: r.ratingLabel,
    summary: r.summary,
    judgedStatement: r.judgedStatement,
    judgedClaimVersion: r.judgedClaimVersion,
    statementChanged: r.judgedStatement !== shownStatement,
    evidence: r.evidence.map((e) => ({
      sourceId: e.sourceId,
      url: e.url ?? e.source?.url ?? null,
      title: e.source?.title ?? null,
      relation: e.relation,
      note: e.note,
    })),
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    published: r.publishedAt && r.publishedBy ? { at: r.publishedAt.toISOString(), by: { id: r.publishedBy.id, name: r.publishedBy.name } } : null,
    withdrawn: r.withdrawnAt && r.withdrawnBy ? { at: iso(r.withdrawnAt), reason: r.withdrawnReason, by: { id: r.withdrawnBy.id, name: r.withdrawnBy.name } } : null,
  };
}
export type PresentedReview = ReturnType<typeof presentReview>;

/** What the audit log keeps of a review: its content and state, not the joined names. */
export function reviewSnapshot(r: ReviewRow) {
  const p = presentReview(r);
  return {
    ...p,
    reviewer: r.reviewerId,
    byline: r.bylineId,
    author: r.authorActorId,
    contributors: contributorIds(r),
    statementChanged: undefined,
    createdAt: undefined,
    updatedAt: undefined,
  };
}
