import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { NotFoundError } from '../../shared/errors';
import { uuidSchema } from '../../shared/text';
import { html, PAGE_END, pageStart, raw } from '../reports/html';
import { findReview } from '../reviews/repository';

/*
 * The public page of a published (or withdrawn) review: the `url` the
 * ClaimReview export gives a review that has no article of its own. It
 * needs no key, and shows nothing a draft holds.
 */
export const REVIEW_PAGE_PATH = '/reviews/:id';
export const reviewPageUrl = (publicUrl: string, id: string) => `${publicUrl}/reviews/${id}`;

export const reviewPageRoutes = [
  defineRoute({
    method: 'get',
    path: REVIEW_PAGE_PATH,
    summary: 'The public page of a published review (HTML; the url of its ClaimReview)',
    operationId: 'getReviewPage',
    tag: 'claimreview',
    access: { anonymous: true },
    params: z.strictObject({ id: uuidSchema }),
    success: { status: 200, contentType: 'text/html', description: 'The review as a web page' },
    handler: async ({ params }, app) => {
      const review = await findReview(app.prisma, params.id);
      if (!review || (review.status !== 'PUBLISHED' && review.status !== 'WITHDRAWN')) throw new NotFoundError('review', params.id);
      const claim = await app.prisma.claim.findUniqueOrThrow({ where: { id: review.claimId }, select: { statement: true } });
      const signed = review.byline ? html` by ${review.byline.name} for ${review.reviewer.name}` : html` by ${review.reviewer.name}`;
      const body =
        pageStart(`Fact-check: ${claim.statement}`) +
        html`<p><strong>${review.ratingLabel}</strong> (${review.rating})${raw(signed)}, ${review.publishedAt?.toISOString().slice(0, 10) ?? ''}</p>
<p>${review.summary}</p>
${review.withdrawnAt ? raw(html`<p><em>Withdrawn: ${review.withdrawnReason ?? ''}</em></p>`) : ''}
<ul>${review.evidence.map((e) => raw(html`<li><a href="${e.url ?? e.source?.url ?? '#'}">${e.source?.title ?? e.url ?? ''}</a> ${e.note ?? ''}</li>`))}</ul>
${review.url ? raw(html`<p><a href="${review.url}">The fact-check as published</a></p>`) : ''}
` +
        PAGE_END;
      return { stream: async (res) => void res.type('html').send(body) };
    },
  }),
];
