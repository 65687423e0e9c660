import { defineRoute } from '../../http/route';
import { statsQuery } from './schema';
import { stats } from './service';

export const statsRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/stats',
    summary: 'Counts of claims, assertions and reviews by topic, stance, contestation and status, with new claims per day, week or month',
    tag: 'stats',
    access: { permission: 'read' },
    query: statsQuery,
    handler: async ({ query, caller }, app) => ({ body: await stats(app, caller, query) }),
  }),
];
