import { z } from 'zod';
import { RelationBasis, RelationType } from '../../generated/prisma/enums';
import { label, uuidSchema } from '../../shared/text';

export const createRelationBody = z
  .strictObject({
    type: z.enum(RelationType),
    targetClaimId: uuidSchema,
    basis: z.enum(RelationBasis),
    assertionId: uuidSchema.optional(),
    note: label(2000).optional(),
  })
  .refine((b) => b.basis !== 'PARTY' || b.assertionId !== undefined, {
    message: 'a PARTY relation names the assertion of this claim it rests on',
    path: ['assertionId'],
  })
  .refine((b) => b.basis !== 'EDITORIAL' || b.assertionId === undefined, {
    message: 'an EDITORIAL relation rests on no assertion',
    path: ['assertionId'],
  });
export type CreateRelationInput = z.infer<typeof createRelationBody>;
