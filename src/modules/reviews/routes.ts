import { contentEtag, ifMatchOf } from '../../http/etag';
import { reviewOut, reviewQueuePageOut } from './responses';
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
    success: { status: 201, body: reviewOut, description: 'Created: the draft' },
    handler: async ({ params, body, caller }, app) => {
      const review = await createReview(app, caller, params.id, body);
      return { status: 201, body: review, etag: contentEtag(review), headers: { Location: `/v1/reviews/${review.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/reviews/:id',
    summary: 'A review (drafts only for REVIEWER and above)',
    tag,
    access: { permission: 'read' },
    params: reviewIdParam,
    success: { status: 200, body: reviewOut },
    handler: async ({ params, caller }, app) => {
      const review = await getReview(app, caller, params.id);
      return { body: review, etag: contentEtag(review) };
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
    success: { status: 200, body: reviewOut },
    handler: async ({ params, body, caller, headers }, app) => {
      const review = await patchReview(app, caller, params.id, ifMatchOf(headers['if-match']), body);
      return { body: review, etag: contentEtag(review) };
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
    success: { status: 200, body: reviewOut },
    handler: async ({ params, body, caller }, app) => {
      const review = await transitionReview(app, caller, params.id, body);
      return { body: review, etag: contentEtag(review) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/review-queue',
    summary: 'Claims awaiting a published verdict: contested first, then most positions, then most recent',
    tag,
    access: { permission: 'read' },
    query: reviewQueueQuery,
    success: { status: 200, body: reviewQueuePageOut },
    problems: [422], // party= names no party
    handler: async ({ query, caller }, app) => ({ body: await reviewQueue(app, caller, query) }),
  }),
];
