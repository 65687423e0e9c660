import { defineRoute } from '../../http/route';
import { auditPageOut } from '../audit/responses';
import { claimIdParam } from '../claims/schema';
import { claimHistoryQuery } from './schema';
import { claimHistory } from './service';

export const historyRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/claims/:id/history',
    summary: 'The claim’s audit events in chain order (its own, its assertions’, relations’, subjects’ and reviews’, and those of claims merged into it), each with seq and hash',
    tag: 'audit',
    access: { permission: 'audit:read' },
    params: claimIdParam,
    query: claimHistoryQuery,
    success: { status: 200, body: auditPageOut },
    handler: async ({ params, query }, app) => ({ body: await claimHistory(app, params.id, query) }),
  }),
];
