import { z } from 'zod';
import { Contestation, PartyKind } from '../../generated/prisma/enums';
import { isoInstant, pageOf, partyRefOut, positionSummaryOut, uuid } from '../../openapi/common';
import { assertionOut } from '../claims/responses';

export const partyOut = z
  .object({
    id: uuid,
    slug: z.string(),
    name: z.string(),
    kind: z.enum(PartyKind),
    aliases: z.array(z.string()),
    country: z.string().nullable(),
    description: z.string().nullable(),
    wikidataId: z.string().nullable(),
    version: z.number().int(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .meta({ id: 'Party' });
export type PartyOut = z.infer<typeof partyOut>;

const day = z.iso.date().nullable();

export const affiliationOut = z
  .object({ id: uuid, person: partyRefOut, party: partyRefOut, role: z.string(), from: day, to: day })
  .meta({ id: 'Affiliation', description: 'A person speaking for a party, in a role, over a period' });
export type AffiliationOut = z.infer<typeof affiliationOut>;

export const partyDetailOut = partyOut
  .extend({
    affiliations: z.array(affiliationOut).describe('whom this person speaks for'),
    members: z.array(affiliationOut).describe('people who speak for this party'),
  })
  .meta({ id: 'PartyDetail' });
export type PartyDetailOut = z.infer<typeof partyDetailOut>;

export const partyPageOut = pageOf(partyOut, 'PartyPage');

export const partyStatementOut = assertionOut
  .extend({
    via: z.enum(['party', 'speaker', 'affiliation']).describe('the party said it, spoke it, or one of its people spoke it'),
    claim: z.object({ id: uuid, statement: z.string(), contestation: z.enum(Contestation), positions: positionSummaryOut }),
  })
  .meta({ id: 'PartyStatement' });

export const partyStatementPageOut = pageOf(partyStatementOut, 'PartyStatementPage');
