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
    words: z.string().optional().describe('with ?include=words: who did what, in plain words (not part of the hash)'),
  })
  .meta({ id: 'AuditEvent' });

export const auditPageOut = pageOf(auditEventOut, 'AuditEventPage');

export const verificationOut = z
  .object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable() })
  .meta({ id: 'AuditVerification' });

export const auditHeadOut = z
  .object({ seq: z.number().int(), hash: z.string().nullable(), at: isoInstant.nullable() })
  .meta({ id: 'AuditHead' });

export const checkpointOut = z
  .object({
    origin: z.string().describe('the signing key’s name, first line of the note'),
    seq: z.number().int().describe('seq of the chain head (0 for an empty chain)'),
    hash: z.string().describe('hash of the head event, hex'),
    at: isoInstant.nullable(),
    note: z.string().describe('the C2SP signed note: origin, seq, base64 hash, "time <at>", a blank line, "— <key name> <base64 signature>"'),
    publicKey: z.string().describe('the verifier key, <name>+<key id>+<base64 key>'),
  })
  .meta({ id: 'AuditCheckpoint' });
