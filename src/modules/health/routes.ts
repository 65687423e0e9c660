import { defineRoute } from '../../http/route';
import { ServiceUnavailableError } from '../../shared/errors';

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tag: 'health',
    access: { anonymous: true },
    handler: async () => ({ body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the database answers',
    tag: 'health',
    access: { anonymous: true },
    handler: async (_input, app) => {
      try {
        await app.prisma.$queryRawUnsafe('SELECT 1');
      } catch {
        throw new ServiceUnavailableError('The database does not answer');
      }
      return { body: { status: 'ready' } };
    },
  }),
];
