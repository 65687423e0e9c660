import { presentPartyRef } from '../parties/presenter';
import type { ReviewRow } from './repository';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A review, attributed twice: to the reviewing party and to the actor who wrote it. */
export function presentReview(r: ReviewRow) {
  return {
    id: r.id,
    claimId: r.claimId,
    status: r.status,
    reviewer: presentPartyRef(r.reviewer),
    /** The person who signed it, for the reviewer (a fact-checker's byline); null when unsigned. */
    byline: r.byline ? presentPartyRef(r.byline) : null,
    author: { id: r.author.id, name: r.author.name },
    /** 'newsroom': written and published here; 'imported': another fact-checker's verdict, as published by them. */
    origin: r.origin as 'newsroom' | 'imported',
    url: r.url,
    rating: r.rating,
    ratingLabel: r.ratingLabel,
    summary: r.summary,
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
  return { ...p, reviewer: r.reviewerId, byline: r.bylineId, author: r.authorActorId, createdAt: undefined, updatedAt: undefined };
}
