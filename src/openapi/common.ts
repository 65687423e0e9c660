import { z, type ZodType } from 'zod';
import { PartyKind } from '../generated/prisma/enums';

/* Output shapes shared by several resources. */

export const isoInstant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant');
export const uuid = z.uuid();

export const partyRefOut = z
  .object({ id: uuid, slug: z.string(), name: z.string(), kind: z.enum(PartyKind) })
  .meta({ id: 'PartyRef', description: 'A party named inside another resource' });

export const positionSummaryOut = z
  .object({
    affirms: z.array(partyRefOut),
    denies: z.array(partyRefOut),
    questions: z.array(partyRefOut),
    retracts: z.array(partyRefOut),
  })
  .meta({ id: 'PositionSummary', description: 'Which parties hold which stance: the attribution shown wherever a claim is only mentioned' });

export function pageOf<T extends ZodType>(item: T, id: string) {
  return z
    .object({ data: z.array(item), nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last') })
    .meta({ id });
}

export const problemOut = z
  .object({
    type: z.string().describe('a URI reference naming the problem, e.g. /problems/quote-not-found'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('for validation problems'),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
