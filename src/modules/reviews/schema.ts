import { z } from 'zod';
import { EvidenceRelation, ReviewRating, ReviewStatus } from '../../generated/prisma/enums';
import { pageQuery } from '../../http/pagination';
import { label, text, topicSchema, urlSchema, uuidSchema } from '../../shared/text';
import { partyFilter, partyRef } from '../assertions/schema';

export const reviewIdParam = z.strictObject({ id: uuidSchema });

const evidenceItem = z
  .strictObject({
    sourceId: uuidSchema.optional(),
    url: urlSchema.optional(),
    relation: z.enum(EvidenceRelation),
    note: text(2000).optional(),
  })
  .refine((e) => (e.sourceId === undefined) !== (e.url === undefined), {
    message: 'give either sourceId (a recorded source) or url, not both',
    path: ['sourceId'],
  });
export type EvidenceInput = z.infer<typeof evidenceItem>;

const reviewFields = {
  /** The party whose verdict this is: the newsroom or fact-checker. */
  reviewerId: partyRef,
  rating: z.enum(ReviewRating),
  /** The reviewer's own words for the rating, in any language, kept as written. */
  ratingLabel: label(200),
  summary: label(20_000),
  /** The newsroom's own article with this verdict, when there is one: the review's public URL in exports. */
  url: urlSchema.nullable(),
  evidence: z.array(evidenceItem).max(100, 'at most 100 pieces of evidence'),
};

export const createReviewBody = z.strictObject({ ...reviewFields, url: reviewFields.url.optional(), evidence: reviewFields.evidence.default([]) });
export type CreateReviewInput = z.infer<typeof createReviewBody>;

export const patchReviewBody = z
  .strictObject(reviewFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type PatchReviewInput = z.infer<typeof patchReviewBody>;

export const transitionBody = z.strictObject({
  to: z.enum(ReviewStatus),
  /** Required when withdrawing a published review; recorded in the audit log otherwise. */
  reason: label(2000).optional(),
});
export type TransitionInput = z.infer<typeof transitionBody>;

export const reviewQueueQuery = z.strictObject({
  ...pageQuery,
  topic: topicSchema.optional(),
  party: partyFilter.optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;
