import { z } from 'zod';
import { Role } from '../../generated/prisma/enums';
import { pageQuery } from '../../http/pagination';
import { label, uuidSchema } from '../../shared/text';

export const createKeyBody = z.strictObject({ name: label(200), role: z.enum(Role) });
export type CreateKeyInput = z.infer<typeof createKeyBody>;

export const keyIdParam = z.strictObject({ id: uuidSchema });
export const listKeysQuery = z.strictObject({ ...pageQuery });
export type ListKeysQuery = z.infer<typeof listKeysQuery>;
