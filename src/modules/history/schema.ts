import { z } from 'zod';
import { pageQuery } from '../../http/pagination';
import { dateOrInstantSchema } from '../../shared/text';

export const claimHistoryQuery = z.strictObject({ ...pageQuery });
export type ClaimHistoryQuery = z.infer<typeof claimHistoryQuery>;

export const asOfQuery = z.strictObject({
  asOf: dateOrInstantSchema.optional().describe('an instant (or a day, meaning its end, UTC): the dossier as it stood then, rebuilt from the audit chain'),
});
