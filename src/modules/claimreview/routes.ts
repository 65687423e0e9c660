import { defineRoute } from '../../http/route';
import { UnprocessableError } from '../../shared/errors';
import { claimReviewFeed, claimReviewsOfClaim } from './export';
import { extractDocument } from './extract';
import { claimIdParam, feedQuery, importDocument, importQuery, IMPORT_PATH, isHtml } from './schema';
import { importClaimReviews } from './service';

const tag = 'claimreview';
const JSON_LD = { 'Content-Type': 'application/ld+json; charset=utf-8' };

/** Mounted before the API's 2 MB JSON parser: it parses its own body (see app.ts). */
export const claimReviewImportRoutes = [
  defineRoute({
    method: 'post',
    path: IMPORT_PATH,
    summary: 'Import schema.org ClaimReview (JSON-LD, a DataFeed, or an HTML page) as claims, assertions and published reviews',
    tag,
    access: { permission: 'reviews:write' },
    body: importDocument,
    query: importQuery,
    handler: async ({ body, query, headers, caller }, app) => {
      const extraction = await extractDocument(body, isHtml(headers['content-type']), query.url ?? null);
      if (extraction.items.length === 0) {
        throw new UnprocessableError(
          'no-claimreview',
          'No ClaimReview was found in the document',
          extraction.problems.map((p) => ({ path: p.at, message: p.reason })),
        );
      }
      return { body: await importClaimReviews(app, caller, extraction) };
    },
  }),
];

export const claimReviewExportRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/claims/:id/claimreview',
    summary: 'The published reviews of a claim as schema.org ClaimReview JSON-LD',
    tag,
    access: { permission: 'read', publicRead: true },
    params: claimIdParam,
    success: { status: 200, contentType: 'application/ld+json', description: 'A JSON-LD @graph of ClaimReview' },
    handler: async ({ params }, app) => ({ body: await claimReviewsOfClaim(app.prisma, params.id, app.config.publicUrl), headers: JSON_LD }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/exports/claimreview',
    summary: 'A schema.org DataFeed of published reviews as ClaimReview (?from=&to= by publication date)',
    tag,
    access: { permission: 'read', publicRead: true },
    query: feedQuery,
    success: { status: 200, contentType: 'application/ld+json', description: 'A schema.org DataFeed of ClaimReview; Link rel="next" names the next page' },
    handler: async ({ query }, app) => {
      const { feed, nextCursor } = await claimReviewFeed(app.prisma, query, app.config.publicUrl);
      const headers: Record<string, string> = { ...JSON_LD };
      if (nextCursor) {
        const params = new URLSearchParams({ ...(query.from && { from: query.from }), ...(query.to && { to: query.to }), limit: String(query.limit), cursor: nextCursor });
        headers.Link = `</v1/exports/claimreview?${params}>; rel="next"`;
      }
      return { body: feed, headers };
    },
  }),
];
