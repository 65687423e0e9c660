import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { pageQuery } from '../../http/pagination';
import { decodeUtf8 } from '../../http/body';
import { problem, sendProblem } from '../../http/problem';
import { daySchema, text, urlSchema, uuidSchema } from '../../shared/text';

export const IMPORT_PATH = '/v1/imports/claimreview';
export const IMPORT_LIMIT = '10mb';

const JSON_TYPES = ['application/ld+json', 'application/json', 'application/*+json'];
const HTML_TYPES = ['text/html', 'application/xhtml+xml'];

/**
 * The import's own body parsing: up to 10 MB (the rest of the API takes
 * 2 MB), JSON-LD or an HTML page, kept as text; the service reads it.
 * Bytes that are not UTF-8 are refused, as on every JSON body.
 */
export const importBody: RequestHandler[] = [
  (req, res, next) => {
    if (req.method === 'POST' && !req.is([...JSON_TYPES, ...HTML_TYPES])) {
      sendProblem(res, problem(415, 'unsupported-media-type', 'Send application/ld+json, application/json or text/html'));
      return;
    }
    next();
  },
  express.raw({ type: [...JSON_TYPES, ...HTML_TYPES], limit: IMPORT_LIMIT }),
  // One pass both checks and decodes the bytes (10 MB decoded twice held the event loop for tens of milliseconds).
  (req, _res, next) => {
    if (Buffer.isBuffer(req.body)) req.body = decodeUtf8(req.body);
    next();
  },
];

export function isHtml(contentType: string | undefined): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}

export const importDocument = text(10 * 1024 * 1024).min(1, 'send a ClaimReview document (JSON-LD) or an HTML page');

export const importQuery = z.strictObject({ url: urlSchema.optional() });
export type ImportQuery = z.infer<typeof importQuery>;

export const claimIdParam = z.strictObject({ id: uuidSchema });

const day = daySchema;
export const feedQuery = z
  .strictObject({ ...pageQuery, from: day.optional(), to: day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });
export type FeedQuery = z.infer<typeof feedQuery>;
