import { z } from 'zod';
import { Stance } from '../../generated/prisma/enums';
import { pageQuery } from '../../http/pagination';
import { dateOrInstantSchema, label, languageSchema, topicSchema, uuidSchema } from '../../shared/text';
import { assertionBody, partyFilter, partyRef } from '../assertions/schema';

const unique = <T>(xs: T[]) => [...new Set(xs)];
const topics = z.array(topicSchema).max(20, 'at most 20 topics').transform(unique);
const subjects = z.array(partyRef).max(50, 'at most 50 subjects').transform(unique);
/** The longest statement a claim may have, in characters; ClaimReview imports keep to it too. */
export const STATEMENT_MAX_LENGTH = 1000;
const statement = label(STATEMENT_MAX_LENGTH);

export const claimIdParam = z.strictObject({ id: uuidSchema });

export const createClaimBody = z.strictObject({
  statement,
  topics: topics.default([]),
  subjects: subjects.default([]),
  language: languageSchema.optional(),
  assertion: assertionBody,
});
export type CreateClaimInput = z.infer<typeof createClaimBody>;

export const patchClaimBody = z
  .strictObject({ statement, topics, subjects, language: languageSchema.nullable() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type PatchClaimInput = z.infer<typeof patchClaimBody>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listClaimsQuery = z.strictObject({
  ...pageQuery,
  q: label(300).optional(),
  party: partyFilter.optional(),
  speaker: partyFilter.optional(),
  stance: z.enum(Stance).optional(),
  topic: topicSchema.optional(),
  contested: bool.optional(),
  from: dateOrInstantSchema.optional(),
  to: dateOrInstantSchema.optional(),
  source: uuidSchema.optional(),
  /** relevance (the default with q), recent (latest assertion first), newest (newest claim first, the default without q). */
  sort: z.enum(['relevance', 'recent', 'newest']).optional(),
});
export type ListClaimsQuery = z.infer<typeof listClaimsQuery>;

export const mergeBody = z.strictObject({ intoClaimId: uuidSchema });

export const graphQuery = z.strictObject({
  depth: z.coerce.number().int().min(1, 'depth is 1 to 3').max(3, 'depth is 1 to 3').default(1),
});

