import { z } from 'zod';
import { QuoteKind, Stance } from '../../generated/prisma/enums';
import { dateOrInstantSchema, label, text, uuidSchema } from '../../shared/text';

const MAX_OFFSET = 10_000_000;
const offset = z.number().int('must be a whole number').min(0).max(MAX_OFFSET);

export const anchorBody = z
  .strictObject({
    exact: text(10_000).min(1).optional(),
    prefix: text(1_000).optional(),
    suffix: text(1_000).optional(),
    start: offset.optional(),
    end: offset.optional(),
  })
  .refine((a) => (a.start === undefined) === (a.end === undefined), {
    message: 'give both start and end, or neither',
    path: ['end'],
  })
  .refine((a) => a.start === undefined || a.end === undefined || a.start < a.end, {
    message: 'end must be greater than start',
    path: ['end'],
  });

export const partyRef = z.string().min(1).max(100);

/** A party named in a list's filter: by id, slug, name or alias; an unknown one is a 422 with the closest. */
export const partyFilter = partyRef.describe('a party by id, slug, name or alias (accent- and case-folded); an unknown one is a 422 naming the closest parties');

export const assertionBody = z.strictObject({
  partyId: partyRef,
  speakerId: partyRef.optional(),
  sourceId: uuidSchema,
  stance: z.enum(Stance),
  quote: text(10_000).min(1, 'must not be empty'),
  quoteKind: z.enum(QuoteKind),
  anchor: anchorBody.optional(),
  assertedAt: dateOrInstantSchema.optional(),
  occasion: label(500).optional(),
});
export type AssertionInput = z.infer<typeof assertionBody>;

export const withdrawBody = z.strictObject({ reason: label(2000) });
export type WithdrawInput = z.infer<typeof withdrawBody>;

export const assertionIdParam = z.strictObject({ id: uuidSchema });
