import { z } from 'zod';
import { Role } from '../../generated/prisma/enums';
import { defineRoute } from '../../http/route';
import { uuid } from '../../openapi/common';
import { AuthenticationError } from '../../shared/errors';

export const meOut = z
  .object({ actorId: uuid, name: z.string(), role: z.enum(Role) })
  .meta({ id: 'Me', description: 'The actor behind the calling API key, and its role' });

export const meRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/me',
    summary: 'Who the calling API key belongs to, and its role (what a client may offer)',
    tag: 'keys',
    access: { permission: 'read' },
    success: { status: 200, body: meOut },
    handler: async ({ caller }) => {
      if (!caller.actor) throw new AuthenticationError('This endpoint needs an API key');
      return { body: { actorId: caller.actor.id, name: caller.actor.name, role: caller.actor.role } };
    },
  }),
];
