import { z } from 'zod';
import { PartyKind, Stance } from '../../generated/prisma/enums';
import { pageQuery } from '../../http/pagination';
import { countrySchema, dateOrInstantSchema, daySchema, label, slugSchema, text, topicSchema, uuidSchema } from '../../shared/text';

const wikidataId = z.string().regex(/^Q[1-9]\d{0,11}$/, 'must be a Wikidata item id such as Q43');
const aliases = z.array(label(200)).max(50, 'at most 50 aliases');


export const partyRefParam = z.strictObject({ id: z.string().min(1).max(100) });

export const createPartyBody = z.strictObject({
  name: label(200),
  slug: slugSchema.optional(),
  kind: z.enum(PartyKind),
  aliases: aliases.default([]),
  country: countrySchema.optional(),
  description: text(5000).optional(),
  wikidataId: wikidataId.optional(),
});
export type CreatePartyInput = z.infer<typeof createPartyBody>;

export const patchPartyBody = z
  .strictObject({
    name: label(200),
    slug: slugSchema,
    kind: z.enum(PartyKind),
    aliases,
    country: countrySchema.nullable(),
    description: text(5000).nullable(),
    wikidataId: wikidataId.nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type PatchPartyInput = z.infer<typeof patchPartyBody>;

export const listPartiesQuery = z.strictObject({
  ...pageQuery,
  q: label(200).optional(),
  kind: z.enum(PartyKind).optional(),
});
export type ListPartiesQuery = z.infer<typeof listPartiesQuery>;

export const partyStatementsQuery = z.strictObject({
  ...pageQuery,
  stance: z.enum(Stance).optional(),
  topic: topicSchema.optional(),
  from: dateOrInstantSchema.optional(),
  to: dateOrInstantSchema.optional(),
});
export type PartyStatementsQuery = z.infer<typeof partyStatementsQuery>;

export const createAffiliationBody = z
  .strictObject({
    partyId: z.string().min(1).max(100),
    role: label(200),
    from: daySchema.optional(),
    to: daySchema.optional(),
  })
  .refine((b) => !b.from || !b.to || b.from <= b.to, { message: 'from must not be after to', path: ['to'] });
export type CreateAffiliationInput = z.infer<typeof createAffiliationBody>;

export { uuidSchema };
