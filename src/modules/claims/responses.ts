import { z } from 'zod';
import { Contestation, QuoteKind, RelationBasis, RelationType, Stance } from '../../generated/prisma/enums';
import { reviewOut } from '../reviews/responses';
import { isoInstant, pageOf, partyRefOut, positionSummaryOut, uuid } from '../../openapi/common';

export const anchorOut = z
  .object({
    exact: z.string(),
    prefix: z.string(),
    suffix: z.string(),
    start: z.number().int().nullable().describe('code-point offset of the quote in the source text'),
    end: z.number().int().nullable(),
  })
  .meta({ id: 'Anchor', description: 'W3C Web Annotation style selector into the source text; offsets count Unicode code points' });

export const positionOut = z
  .object({
    assertionId: uuid,
    stance: z.enum(Stance),
    party: partyRefOut,
    speaker: partyRefOut.nullable(),
    quote: z.string(),
    quoteKind: z.enum(QuoteKind),
    anchor: anchorOut.nullable(),
    source: z.object({ id: uuid, title: z.string(), publisher: partyRefOut.nullable(), url: z.string().nullable() }),
    assertedAt: z.string().nullable().describe('YYYY-MM-DD when only the day is known, else an ISO instant'),
    occasion: z.string().nullable(),
  })
  .meta({ id: 'Position', description: "One party's stance on the claim: its latest active assertion" });
export type PositionOut = z.infer<typeof positionOut>;

export const assertionOut = positionOut
  .extend({
    claimId: uuid,
    createdAt: isoInstant,
    withdrawn: z.object({ at: isoInstant, reason: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'Assertion' });
export type AssertionOut = z.infer<typeof assertionOut>;

export const positionsOut = z
  .object({ affirms: z.array(positionOut), denies: z.array(positionOut), questions: z.array(positionOut), retracts: z.array(positionOut) })
  .meta({ id: 'Positions' });

export const claimLinkOut = z
  .object({
    relationId: uuid,
    relation: z.enum(RelationType),
    direction: z.enum(['incoming', 'outgoing']).describe('incoming: the other claim relates to this one'),
    basis: z.enum(RelationBasis),
    claim: z.object({ id: uuid, statement: z.string(), contestation: z.enum(Contestation), positions: positionSummaryOut }),
    by: partyRefOut.nullable().describe('the party that put the other claim forward; null for an editorial link'),
    note: z.string().nullable(),
  })
  .meta({ id: 'ClaimLink' });

export const claimSummaryOut = z
  .object({
    id: uuid,
    statement: z.string(),
    topics: z.array(z.string()),
    subjects: z.array(partyRefOut),
    language: z.string().nullable(),
    version: z.number().int(),
    contestation: z.enum(Contestation),
    positions: positionsOut,
    attributedSummary: z.string().describe('one line that always names who says what'),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .meta({ id: 'ClaimSummary', description: 'A claim as a search hit: never the bare statement, always who holds which position' });
export type ClaimSummaryOut = z.infer<typeof claimSummaryOut>;

export const dossierOut = claimSummaryOut
  .extend({
    counterClaims: z.array(claimLinkOut).describe('claims joined by COUNTERS or CONTRADICTS, either direction'),
    supportingClaims: z.array(claimLinkOut).describe('claims joined by SUPPORTS or QUALIFIES'),
    reviews: z.array(reviewOut).describe('published verdicts, each attributed, with the wording each judged'),
    history: z.array(assertionOut).describe('every assertion ever recorded on the claim, withdrawn ones included'),
  })
  .meta({ id: 'Dossier', description: 'The claim dossier (SPEC §3.3)' });
export type DossierOut = z.infer<typeof dossierOut>;

export const searchMatchOut = z
  .object({
    field: z.enum(['statement', 'quote']),
    assertionId: uuid.optional().describe('the assertion whose quote matched'),
    text: z.string().describe('the statement or quote as recorded'),
    highlights: z
      .array(z.object({ start: z.number().int(), end: z.number().int() }))
      .describe('the matched words, as code-point offsets into text'),
  })
  .meta({ id: 'SearchMatch', description: 'Where the words of q matched in a search hit' });

export const claimHitOut = claimSummaryOut
  .extend({ matches: z.array(searchMatchOut).optional().describe('with q: where the words matched') })
  .meta({ id: 'ClaimHit' });

export const claimPageOut = pageOf(claimHitOut, 'ClaimPage');

export const relationOut = z
  .object({
    id: uuid,
    type: z.enum(RelationType),
    sourceClaimId: uuid,
    targetClaimId: uuid,
    basis: z.enum(RelationBasis),
    assertionId: uuid.nullable(),
    by: partyRefOut.nullable(),
    note: z.string().nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'ClaimRelation', description: '"source claim <type> target claim", attributed' });
export type RelationOut = z.infer<typeof relationOut>;

export const graphOut = z
  .object({
    rootId: uuid,
    depth: z.number().int(),
    nodes: z.array(
      z.object({ id: uuid, statement: z.string(), contestation: z.enum(Contestation), depth: z.number().int(), positions: positionSummaryOut }),
    ),
    edges: z.array(
      z.object({ id: uuid, from: uuid, to: uuid, type: z.enum(RelationType), basis: z.enum(RelationBasis), party: partyRefOut.nullable() }),
    ),
    truncated: z.boolean().describe('true when the node cap cut the network short'),
  })
  .meta({ id: 'ClaimGraph' });
export type GraphOut = z.infer<typeof graphOut>;
