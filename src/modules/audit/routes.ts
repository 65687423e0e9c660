import { defineRoute } from '../../http/route';
import { auditEventsQuery } from './schema';
import { auditHeadOut, auditPageOut, verificationOut } from './responses';
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
];
