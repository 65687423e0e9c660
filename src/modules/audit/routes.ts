import { defineRoute } from '../../http/route';
import { auditEventsQuery } from './schema';
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
    handler: async ({ query }, app) => ({ body: await listAuditEvents(app, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/audit/verify',
    summary: 'Recompute the hash chain end to end',
    tag: 'audit',
    access,
    handler: async (_input, app) => ({ body: await verifyAuditChain(app) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/audit/head',
    summary: 'The latest event of the chain',
    tag: 'audit',
    access,
    handler: async (_input, app) => ({ body: await auditHead(app) }),
  }),
];
