import { etagFor, expectedVersion } from '../../http/etag';
import { defineRoute } from '../../http/route';
import { claimIdParam } from '../claims/schema';
import { reviewQueue } from './queue';
import { createReviewBody, patchReviewBody, reviewIdParam, reviewQueueQuery, transitionBody } from './schema';
import { createReview, getReview, patchReview, transitionReview } from './service';

const tag = 'reviews';
const write = { permission: 'reviews:write' } as const;

export const reviewRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/claims/:id/reviews',
    summary: 'Draft a verdict on a claim (REVIEWER)',
    tag,
    access: write,
    params: claimIdParam,
    body: createReviewBody,
    success: { status: 201, description: 'Created: the draft review' },
    handler: async ({ params, body, caller }, app) => {
      const review = await createReview(app, caller, params.id, body);
      return { status: 201, body: review, etag: etagFor(review.version), headers: { Location: `/v1/reviews/${review.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/reviews/:id',
    summary: 'A review (drafts only for REVIEWER and above)',
    tag,
    access: { permission: 'read' },
    params: reviewIdParam,
    handler: async ({ params, caller }, app) => {
      const review = await getReview(app, caller, params.id);
      return { body: review, etag: etagFor(review.version) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/reviews/:id',
    summary: 'Edit a DRAFT or IN_REVIEW review (If-Match required)',
    tag,
    access: write,
    params: reviewIdParam,
    body: patchReviewBody,
    handler: async ({ params, body, caller, headers }, app) => {
      const review = await patchReview(app, caller, params.id, expectedVersion(headers['if-match']), body);
      return { body: review, etag: etagFor(review.version) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/reviews/:id/transitions',
    summary: 'Move a review through DRAFT → IN_REVIEW → PUBLISHED → WITHDRAWN',
    tag,
    access: write,
    params: reviewIdParam,
    body: transitionBody,
    handler: async ({ params, body, caller }, app) => {
      const review = await transitionReview(app, caller, params.id, body);
      return { body: review, etag: etagFor(review.version) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/review-queue',
    summary: 'Claims awaiting a published verdict: contested first, then most positions, then most recent',
    tag,
    access: { permission: 'read' },
    query: reviewQueueQuery,
    handler: async ({ query }, app) => ({ body: await reviewQueue(app, query) }),
  }),
];
