import { z } from 'zod';
import { isoInstant, pageOf, uuid } from '../../openapi/common';

export const auditEventOut = z
  .object({
    seq: z.number().int().describe('gap-free position in the chain, from 1'),
    at: isoInstant,
    actorId: uuid.nullable(),
    action: z.string().describe('e.g. claim.create, assertion.withdraw, key.revoke'),
    entityType: z.string(),
    entityId: z.string(),
    requestId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    prevHash: z.string(),
    hash: z.string().describe('sha256(prevHash ‖ canonical JSON of the event without its hashes)'),
  })
  .meta({ id: 'AuditEvent' });

export const auditPageOut = pageOf(auditEventOut, 'AuditEventPage');

export const verificationOut = z
  .object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable() })
  .meta({ id: 'AuditVerification' });

export const auditHeadOut = z
  .object({ seq: z.number().int(), hash: z.string().nullable(), at: isoInstant.nullable() })
  .meta({ id: 'AuditHead' });
