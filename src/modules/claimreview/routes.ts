import { defineRoute } from '../../http/route';
import { InvalidInputError, UnprocessableError } from '../../shared/errors';
import { claimReviewFeed, claimReviewsOfClaim } from './export';
import { TooLargeError } from '../../shared/errors';
import { extractFromHtml, extractFromJsonText } from './jsonld';
import { claimIdParam, feedQuery, importDocument, importQuery, IMPORT_PATH, isHtml } from './schema';
import { importClaimReviews } from './service';

const tag = 'claimreview';
const JSON_LD = { 'Content-Type': 'application/ld+json; charset=utf-8' };

async function extract(document: string, contentType: string | undefined, pageUrl: string | null) {
  if (isHtml(contentType)) return extractFromHtml(document, pageUrl);
  try {
    return await extractFromJsonText(document, pageUrl);
  } catch (err) {
    if (err instanceof TooLargeError) throw err;
    throw new InvalidInputError(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

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
      const extraction = await extract(body, headers['content-type'], query.url ?? null);
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
