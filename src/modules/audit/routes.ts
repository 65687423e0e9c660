import { defineRoute } from '../../http/route';
import { auditEventsQuery } from './schema';
import { auditHeadOut, auditPageOut, checkpointOut, verificationOut } from './responses';
import { auditSigner, currentCheckpoint } from './checkpoint';
import { auditHead, listAuditEvents, verifyAuditChain } from './service';

const access = { permission: 'audit:read' } as const;

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/audit/events',
    summary: 'The audit log, oldest first',
    tag: 'audit',
    access,
    query: auditEventsQuery,
    success: { status: 200, body: auditPageOut },
    handler: async ({ query }, app) => ({ body: await listAuditEvents(app, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/audit/verify',
    summary: 'Recompute the hash chain end to end',
    tag: 'audit',
    access,
    success: { status: 200, body: verificationOut },
    handler: async (_input, app) => ({ body: await verifyAuditChain(app) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/audit/head',
    summary: 'The latest event of the chain',
    tag: 'audit',
    access,
    success: { status: 200, body: auditHeadOut },
    handler: async (_input, app) => ({ body: await auditHead(app) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/audit/checkpoint',
    summary: 'The chain head as a signed checkpoint: a C2SP signed note (Ed25519) as text/plain, or this JSON with Accept: application/json',
    tag: 'audit',
    access,
    success: { status: 200, body: checkpointOut, contentType: ['text/plain', 'application/json'], description: 'The signed note as text/plain; the same as JSON with Accept: application/json' },
    handler: async ({ headers }, app) => {
      const checkpoint = await currentCheckpoint(app);
      if (/application\/json/.test(headers.accept ?? '')) return { body: checkpoint, headers: { 'Cache-Control': 'no-store' } };
      return plainText(checkpoint.note);
    },
  }),
];

/** Outside /v1 and open to anyone: what an outsider needs to check the checkpoints a newsroom publishes. */
export const auditPublicRoutes = [
  defineRoute({
    method: 'get',
    path: '/.well-known/counterpoint-audit-key',
    summary: 'The public key that verifies the audit checkpoints (C2SP note verifier key <name>+<key id>+<base64 key>, text/plain)',
    tag: 'audit',
    access: { anonymous: true },
    success: { status: 200, contentType: 'text/plain', description: 'The verifier key, one line' },
    handler: async (_input, app) => plainText(`${auditSigner(app).verifierKey}\n`),
  }),
];

function plainText(text: string) {
  return {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    stream: async (res: import('express').Response) => void res.end(text),
  };
}
