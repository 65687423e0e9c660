import { z } from 'zod';
import { SourceKind } from '../../generated/prisma/enums';
import { pageQuery } from '../../http/pagination';
import { dateOrInstantSchema, label, languageSchema, text, urlSchema, uuidSchema } from '../../shared/text';
import { partyFilter, partyRef } from '../assertions/schema';

export const MAX_SOURCE_TEXT = 500_000;

export const createSourceBody = z.strictObject({
  kind: z.enum(SourceKind),
  title: label(500),
  url: urlSchema.optional(),
  publisherId: partyRef.optional(),
  publishedAt: dateOrInstantSchema.optional(),
  language: languageSchema.optional(),
  text: text(MAX_SOURCE_TEXT).min(1, 'leave text out rather than sending it empty').optional(),
  retrievedAt: dateOrInstantSchema.optional(),
});
export type CreateSourceInput = z.infer<typeof createSourceBody>;

export const listSourcesQuery = z.strictObject({
  ...pageQuery,
  q: label(300).optional(),
  publisher: partyFilter.optional(),
});
export type ListSourcesQuery = z.infer<typeof listSourcesQuery>;

export const sourceIdParam = z.strictObject({ id: uuidSchema });

/** GET /v1/sources/{id}: the source's assertions come a page at a time. */
export const sourceAssertionsQuery = z.strictObject({ ...pageQuery });
export type SourceAssertionsQuery = z.infer<typeof sourceAssertionsQuery>;
