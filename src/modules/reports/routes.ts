import { defineRoute } from '../../http/route';
import { auditReport } from './audit-report';
import { claimsReport } from './claims-report';
import { auditReportQuery, claimsReportQuery } from './schema';

const tag = 'reports';
const REPORT_MEDIA = ['application/json', 'text/csv', 'text/html'];

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/reports/audit',
    summary: 'Every audit event in a period, with the chain’s verification and head (JSON, CSV or HTML; streamed)',
    tag,
    access: { permission: 'audit:read' },
    query: auditReportQuery,
    success: { status: 200, contentType: REPORT_MEDIA, description: 'The report in the ?format= asked for' },
    handler: async ({ query }, app) => auditReport(app, query),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/reports/claims',
    summary: 'Claims with their positions, counter-claims and published verdicts (JSON, CSV or HTML; streamed)',
    tag,
    access: { permission: 'read' },
    query: claimsReportQuery,
    success: { status: 200, contentType: REPORT_MEDIA, description: 'The report in the ?format= asked for' },
    problems: [422], // party= names no party
    handler: async ({ query }, app) => claimsReport(app, query),
  }),
];
