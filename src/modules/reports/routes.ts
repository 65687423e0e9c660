import { defineRoute } from '../../http/route';
import { auditReport } from './audit-report';
import { claimsReport } from './claims-report';
import { auditReportQuery, claimsReportQuery } from './schema';

const tag = 'reports';

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/reports/audit',
    summary: 'Every audit event in a period, with the chain’s verification and head (JSON, CSV or HTML; streamed)',
    tag,
    access: { permission: 'audit:read' },
    query: auditReportQuery,
    handler: async ({ query }, app) => auditReport(app, query),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/reports/claims',
    summary: 'Claims with their positions, counter-claims and published verdicts (JSON, CSV or HTML; streamed)',
    tag,
    access: { permission: 'read' },
    query: claimsReportQuery,
    handler: async ({ query }, app) => claimsReport(app, query),
  }),
];
