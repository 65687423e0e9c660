import { z } from 'zod';
import { Contestation, SourceKind } from '../../generated/prisma/enums';
import { isoInstant, pageOf, partyRefOut, positionSummaryOut, uuid } from '../../openapi/common';
import { positionOut } from '../claims/responses';

export const sourceOut = z
  .object({
    id: uuid,
    kind: z.enum(SourceKind),
    title: z.string(),
    url: z.string().nullable(),
    publisher: partyRefOut.nullable(),
    publishedAt: isoInstant.nullable(),
    language: z.string().nullable(),
    text: z.string().nullable().describe('stored exactly as given; quotes are anchored in it'),
    contentSha256: z.string().nullable().describe('sha256 of the UTF-8 text, computed by the server'),
    retrievedAt: isoInstant.nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'Source' });
export type SourceOut = z.infer<typeof sourceOut>;

export const sourceSummaryOut = sourceOut.omit({ text: true }).meta({ id: 'SourceSummary' });
export type SourceSummaryOut = z.infer<typeof sourceSummaryOut>;

export const sourceDetailOut = sourceOut
  .extend({
    assertions: z
      .array(
        positionOut
          .omit({ source: true, occasion: true })
          .extend({ claim: z.object({ id: uuid, statement: z.string(), contestation: z.enum(Contestation), positions: positionSummaryOut }) }),
      )
      .describe('active assertions quoting this source, in text order: one page of them (?limit=, default 50)'),
    nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page of assertions; null on the last'),
  })
  .meta({ id: 'SourceDetail' });
export type SourceDetailOut = z.infer<typeof sourceDetailOut>;

export const sourcePageOut = pageOf(sourceSummaryOut, 'SourcePage');
