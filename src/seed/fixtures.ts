import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createPartyBody } from '../modules/parties/schema';
import { createSourceBody } from '../modules/sources/schema';
import { assertionBody } from '../modules/assertions/schema';
import { RelationBasis, RelationType } from '../generated/prisma/enums';
import { uuidSchema } from '../shared/text';

export const SEED_FILE = path.resolve(__dirname, '../../fixtures/seed.json');

/*
 * The seed story as data. Parties, sources and claims refer to each other by
 * slug and key; the loader turns those into ids. Every row carries its own
 * fixed id, so a seeded service answers the ids the README and the OpenAPI
 * examples show (rows without one, as extra fixtures may have, get a new
 * id). The shapes reuse the API's own request schemas so fixtures cannot
 * hold what the API would refuse.
 */
const fixedId = { id: uuidSchema.optional() };
const fixtureAssertion = assertionBody
  .omit({ partyId: true, speakerId: true, sourceId: true, anchor: true })
  .extend({ ...fixedId, party: z.string(), speaker: z.string().optional(), source: z.string(), prefix: z.string().optional() });

const fixtureSchema = z.strictObject({
  parties: z.array(createPartyBody.extend({ ...fixedId, slug: z.string() })),
  affiliations: z.array(
    z.strictObject({ ...fixedId, person: z.string(), party: z.string(), role: z.string(), from: z.iso.date().optional(), to: z.iso.date().optional() }),
  ),
  sources: z.array(createSourceBody.omit({ publisherId: true }).extend({ ...fixedId, key: z.string(), publisher: z.string().optional() })),
  claims: z.array(
    z.strictObject({
      id: uuidSchema,
      key: z.string(),
      statement: z.string(),
      topics: z.array(z.string()).default([]),
      subjects: z.array(z.string()).default([]),
      language: z.string().optional(),
      assertions: z.array(fixtureAssertion).min(1),
    }),
  ),
  relations: z.array(
    z.strictObject({
      ...fixedId,
      from: z.string(),
      to: z.string(),
      type: z.enum(RelationType),
      basis: z.enum(RelationBasis),
      assertion: z.strictObject({ claim: z.string(), party: z.string() }).optional(),
      note: z.string().optional(),
    }),
  ),
});

export type Fixtures = z.infer<typeof fixtureSchema>;

export async function readFixtures(file = SEED_FILE): Promise<Fixtures> {
  return fixtureSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}
