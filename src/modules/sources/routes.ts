import { contentEtag } from '../../http/etag';
import { defineRoute } from '../../http/route';
import { createSourceBody, listSourcesQuery, sourceAssertionsQuery, sourceIdParam } from './schema';
import { sourceDetailOut, sourceOut, sourcePageOut } from './responses';
import { createSource, deleteSource, getSource, listSources } from './service';

const tag = 'sources';
const write = { permission: 'sources:write' } as const;
const read = { permission: 'read', publicRead: true } as const;

export const sourceRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/sources',
    summary: 'Record a source: an article, post, press conference…',
    tag,
    access: write,
    body: createSourceBody,
    success: { status: 201, body: sourceOut, description: 'Created' },
    handler: async ({ body, caller }, app) => {
      const source = await createSource(app, caller, body);
      return { status: 201, body: source, headers: { Location: `/v1/sources/${source.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sources',
    summary: 'List or search sources (without their texts)',
    tag,
    access: read,
    query: listSourcesQuery,
    success: { status: 200, body: sourcePageOut },
    problems: [422], // publisher= names no party
    handler: async ({ query }, app) => ({ body: await listSources(app, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sources/:id',
    summary: 'A source with the assertions anchored in it, in text order, a page at a time (?limit=&cursor=)',
    tag,
    access: read,
    params: sourceIdParam,
    query: sourceAssertionsQuery,
    success: { status: 200, body: sourceDetailOut },
    handler: async ({ params, query }, app) => {
      const source = await getSource(app, params.id, query);
      return { body: source, etag: contentEtag(source) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sources/:id',
    summary: 'Delete a source no assertion cites',
    tag,
    access: write,
    params: sourceIdParam,
    success: { status: 204 },
    handler: async ({ params, caller }, app) => {
      await deleteSource(app, caller, params.id);
      return { status: 204 };
    },
  }),
];
