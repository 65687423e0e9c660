import { z } from 'zod';
import { Role } from '../../generated/prisma/enums';
import { isoInstant, pageOf, uuid } from '../../openapi/common';

export const keyOut = z
  .object({
    id: uuid,
    name: z.string(),
    role: z.enum(Role),
    actorId: uuid,
    prefix: z.string().describe('the first characters of the key, to tell keys apart'),
    createdAt: isoInstant,
    revokedAt: isoInstant.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type KeyOut = z.infer<typeof keyOut>;

export const issuedKeyOut = keyOut.extend({ key: z.string().describe('the secret: shown in this response only') }).meta({ id: 'IssuedApiKey' });

export const keyPageOut = pageOf(keyOut, 'ApiKeyPage');
