import { defineRoute } from '../../http/route';
import { createKeyBody, keyIdParam, listKeysQuery } from './schema';
import { issuedKeyOut, keyOut, keyPageOut } from './responses';
import { issueKey, listKeys, revokeKey } from './service';

const tag = 'keys';
const access = { permission: 'keys:manage' } as const;

export const keyRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/keys',
    summary: 'Issue an API key for a new actor (the key is shown only in this response)',
    tag,
    access,
    body: createKeyBody,
    success: { status: 201, body: issuedKeyOut, description: 'Issued; the key is shown only here' },
    handler: async ({ body, caller }, app) => ({ status: 201, body: await issueKey(app, caller, body), headers: { 'Cache-Control': 'no-store' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/keys',
    summary: 'List API keys (never the secrets)',
    tag,
    access,
    query: listKeysQuery,
    success: { status: 200, body: keyPageOut },
    handler: async ({ query }, app) => ({ body: await listKeys(app, query) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/keys/:id/revoke',
    summary: 'Revoke an API key',
    tag,
    access,
    params: keyIdParam,
    success: { status: 200, body: keyOut },
    handler: async ({ params, caller }, app) => ({ body: await revokeKey(app, caller, params.id) }),
  }),
];
