import { z } from 'zod';
import { Contestation, Stance } from '../../generated/prisma/enums';
import { partyRefOut } from '../../openapi/common';
import { languageSchema, text } from '../../shared/text';
import { positionsOut } from '../claims/responses';

export const MAX_DRAFT_CODE_POINTS = 100_000;

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
};

/** A language tag that is BCP 47 in form and that Intl accepts ("en", "tr-TR", "ar-EG"). */
const draftLanguage = languageSchema.refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'must be a BCP 47 language tag such as en or tr-TR');

export const checkDraftBody = z.strictObject({
  text: text(2 * MAX_DRAFT_CODE_POINTS)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => codePoints(s) <= MAX_DRAFT_CODE_POINTS, `must be at most ${MAX_DRAFT_CODE_POINTS.toLocaleString('en')} code points`),
  language: draftLanguage.optional().describe('BCP 47; detected from the text when not given'),
});
export type CheckDraftInput = z.infer<typeof checkDraftBody>;

export const VERDICTS = ['stated-as-fact', 'misattributed', 'unattributed', 'one-sided', 'attributed'] as const;

export const findingOut = z
  .object({
    start: z.number().int().describe('code-point offset of the sentence in the draft'),
    end: z.number().int(),
    text: z.string().describe('the sentence'),
    claim: z.object({
      id: z.uuid(),
      statement: z.string(),
      contestation: z.enum(Contestation),
      positions: positionsOut,
      counteredBy: z.array(partyRefOut).describe('the parties that counter it with a claim of their own (no position on it, but on the other side)'),
      attributedSummary: z.string(),
    }),
    score: z.number().min(0).max(1).describe('how closely the sentence says what the claim says'),
    polarity: z.enum(['affirms', 'negates']).describe('whether the sentence affirms the claim or negates it'),
    attributedTo: z.array(z.object({ party: partyRefOut, stance: z.enum(Stance) })).describe('the parties the sentence attributes it to, with the stance it gives them'),
    verdict: z.enum(VERDICTS),
    severity: z.enum(['high', 'medium', 'low']),
    message: z.string().describe('what the ledger records, in one line'),
    suggestion: z.string().describe("the claim's attributedSummary: wording the desk can paste"),
  })
  .meta({ id: 'DraftFinding', description: 'A sentence of the draft that says what a claim of the ledger says' });
export type FindingOut = z.infer<typeof findingOut>;

export const draftCheckOut = z
  .object({
    language: z.string().describe('the language given, or the one detected'),
    sentences: z.number().int().describe('how many sentences the draft has'),
    findings: z.array(findingOut).describe('in text order'),
  })
  .meta({ id: 'DraftCheck', description: 'The attribution check of a draft (SPEC §6)' });
export type DraftCheckOut = z.infer<typeof draftCheckOut>;
