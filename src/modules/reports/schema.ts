import { z } from 'zod';
import { topicSchema } from '../../shared/text';
import { partyFilter } from '../assertions/schema';
import { periodFields, periodMessage, refinePeriod } from '../stats/period';

const format = z.enum(['json', 'csv', 'html']).default('json');

export const auditReportQuery = z.strictObject({ ...periodFields, format }).refine(refinePeriod, periodMessage);
export type AuditReportQuery = z.infer<typeof auditReportQuery>;

export const claimsReportQuery = z
  .strictObject({ ...periodFields, format, topic: topicSchema.optional(), party: partyFilter.optional() })
  .refine(refinePeriod, periodMessage);
export type ClaimsReportQuery = z.infer<typeof claimsReportQuery>;
