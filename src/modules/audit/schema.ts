import { z } from 'zod';
import { pageQuery } from '../../http/pagination';
import { dateOrInstantSchema, text, uuidSchema } from '../../shared/text';

export const auditEventsQuery = z.strictObject({
  ...pageQuery,
  entityType: text(64).optional(),
  entityId: text(128).optional(),
  actorId: uuidSchema.optional(),
  action: text(64).optional(),
  from: dateOrInstantSchema.optional(),
  to: dateOrInstantSchema.optional(),
  include: z.enum(['words']).optional().describe('words: each event also says what happened in plain words (`words`, outside its hash)'),
});
export type AuditEventsQuery = z.infer<typeof auditEventsQuery>;
