import { z } from 'zod';
import { Contestation, EvidenceRelation, ReviewRating, ReviewStatus } from '../../generated/prisma/enums';
import { isoInstant, pageOf, partyRefOut, positionSummaryOut, uuid } from '../../openapi/common';

const actorRefOut = z.object({ id: uuid, name: z.string() }).meta({ id: 'ActorRef' });

export const reviewOut = z
  .object({
    id: uuid,
    claimId: uuid,
    status: z.enum(ReviewStatus),
    reviewer: partyRefOut,
    author: actorRefOut.describe('who drafted the review'),
    contributors: z.array(actorRefOut).describe('everyone who wrote any of its content, its author first; none of them may publish it'),
    byline: partyRefOut.nullable().describe('the person who signed it for the reviewer (a fact-checker’s byline); null when unsigned'),
    origin: z.enum(['newsroom', 'imported']).describe('newsroom: written and published here; imported: another fact-checker’s verdict, as they published it'),
    url: z.string().nullable().describe('the review’s public page: the newsroom’s own article, or the imported fact-check'),
    rating: z.enum(ReviewRating),
    ratingLabel: z.string(),
    summary: z.string(),
    judgedStatement: z.string().describe('the claim’s wording when the review’s content was last written: what the verdict judged'),
    judgedClaimVersion: z.number().int(),
    statementChanged: z.boolean().describe('true when the claim has been reworded since: judgedStatement is what was judged'),
    evidence: z.array(
      z.object({
        sourceId: uuid.nullable(),
        url: z.string().nullable(),
        title: z.string().nullable(),
        relation: z.enum(EvidenceRelation),
        note: z.string().nullable(),
      }),
    ),
    version: z.number().int(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    published: z.object({ at: isoInstant, by: actorRefOut }).nullable(),
    withdrawn: z.object({ at: isoInstant.nullable(), reason: z.string().nullable(), by: actorRefOut }).nullable(),
  })
  .meta({ id: 'Review', description: 'A verdict, attributed to the reviewing party and to the actors who wrote it' });
export type ReviewOut = z.infer<typeof reviewOut>;

const queueItemOut = z
  .object({
    claim: z.object({ id: uuid, statement: z.string(), topics: z.array(z.string()), contestation: z.enum(Contestation), positions: positionSummaryOut }),
    counteredBy: z.array(partyRefOut).describe('parties that answer the claim with a counter-claim (through an active assertion of it)'),
    partiesWithPosition: z.number().int(),
    latestAssertionAt: isoInstant.describe('when the latest assertion was recorded'),
    latestAssertedAt: isoInstant.nullable().describe('when the latest dated assertion was said; null when none is dated'),
    draft: z
      .object({ id: uuid, status: z.enum(ReviewStatus), author: actorRefOut, updatedAt: isoInstant })
      .nullable()
      .describe('the current draft (REVIEWER and ADMIN keys only); always null for READER and EDITOR keys'),
  })
  .meta({ id: 'ReviewQueueItem' });

export const reviewQueuePageOut = pageOf(queueItemOut, 'ReviewQueuePage');
