import { defineRoute } from '../../http/route';
import { settingsBody } from './schema';
import { putSettings, readSettings } from './service';

const tag = 'settings';

export const settingRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/settings',
    summary: 'The deployment’s editorial settings',
    tag,
    access: { permission: 'read' },
    handler: async (_input, app) => ({ body: await readSettings(app.prisma) }),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/settings',
    summary: 'Change the editorial settings (ADMIN; audited)',
    tag,
    access: { permission: 'settings:manage' },
    body: settingsBody,
    handler: async ({ body, caller }, app) => ({ body: await putSettings(app, caller, body) }),
  }),
];
