import { z } from 'zod';
import { dateOrInstantSchema } from '../../shared/text';

/** `from`/`to` as dates or instants; `to=2026-11-03` means up to the end of that day. */
export const periodFields = {
  from: dateOrInstantSchema.transform((v) => new Date(v)).optional(),
  to: dateOrInstantSchema.transform((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : new Date(v))).optional(),
};

export type Period = { from?: Date; to?: Date };

export const refinePeriod = (p: Period) => !p.from || !p.to || p.from <= p.to;
export const periodMessage = { message: '`from` must not be after `to`', path: ['from'] };
