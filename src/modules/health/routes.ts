import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { ServiceUnavailableError } from '../../shared/errors';
import { onPrimary } from '../../db/read-scope';

const statusOut = z.object({ status: z.enum(['ok', 'ready']) }).meta({ id: 'HealthStatus' });

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    tag: 'health',
    access: { anonymous: true },
    success: { status: 200, body: statusOut },
    handler: async () => ({ body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the primary database answers',
    tag: 'health',
    access: { anonymous: true },
    success: { status: 200, body: statusOut },
    handler: async (_input, app) => {
      try {
        await onPrimary(() => app.prisma.$queryRawUnsafe('SELECT 1'));
      } catch {
        throw new ServiceUnavailableError('The database does not answer');
      }
      return { body: { status: 'ready' } };
    },
  }),
];
