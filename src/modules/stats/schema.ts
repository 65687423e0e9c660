import { z } from 'zod';
import { periodFields, periodMessage, refinePeriod } from './period';

export const statsQuery = z
  .strictObject({ ...periodFields, bucket: z.enum(['day', 'week', 'month']).default('day') })
  .refine(refinePeriod, periodMessage);
export type StatsQuery = z.infer<typeof statsQuery>;
