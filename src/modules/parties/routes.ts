import { contentEtag, ifMatchOf } from '../../http/etag';
import { defineRoute } from '../../http/route';
import { createAffiliationBody, createPartyBody, listPartiesQuery, partyRefParam, partyStatementsQuery, patchPartyBody } from './schema';
import { partyStatements } from './statements';
import { affiliationOut, partyDetailOut, partyOut, partyPageOut, partyStatementPageOut } from './responses';
import { createAffiliation, createPartyWithEtag, deleteParty, getParty, listParties, lookupParties, patchParty } from './service';

const tag = 'parties';
const write = { permission: 'parties:write' } as const;
const read = { permission: 'read', publicRead: true } as const;

export const partyRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/parties',
    summary: 'Create a party (a state, body, group, person…)',
    tag,
    access: write,
    body: createPartyBody,
    success: { status: 201, body: partyOut, description: 'Created' },
    handler: async ({ body, caller }, app) => {
      const { party, etag } = await createPartyWithEtag(app, caller, body);
      return { status: 201, body: party, etag, headers: { Location: `/v1/parties/${party.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/parties',
    summary: 'List or search parties',
    tag,
    access: read,
    cached: true,
    query: listPartiesQuery,
    success: { status: 200, body: partyPageOut },
    handler: async ({ query }, app) => (query.q ? { json: await lookupParties(app, query, query.q) } : { body: await listParties(app, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/parties/:id',
    summary: 'A party by id or slug, with its affiliations',
    tag,
    access: read,
    params: partyRefParam,
    success: { status: 200, body: partyDetailOut },
    handler: async ({ params }, app) => {
      const party = await getParty(app, params.id);
      return { body: party, etag: contentEtag(party) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/parties/:id/statements',
    summary: 'What a party, or a person speaking for it, has affirmed, denied, questioned or retracted',
    tag,
    access: read,
    cached: true,
    params: partyRefParam,
    query: partyStatementsQuery,
    success: { status: 200, body: partyStatementPageOut },
    handler: async ({ params, query }, app) => ({ json: await partyStatements(app, params.id, query) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/parties/:id',
    summary: 'Change a party (If-Match required)',
    tag,
    access: write,
    params: partyRefParam,
    body: patchPartyBody,
    success: { status: 200, body: partyOut },
    handler: async ({ params, body, caller, headers }, app) => {
      const { party, etag } = await patchParty(app, caller, params.id, ifMatchOf(headers['if-match']), body);
      return { body: party, etag };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/parties/:id',
    summary: 'Delete a party nothing refers to',
    tag,
    access: write,
    params: partyRefParam,
    success: { status: 204 },
    handler: async ({ params, caller }, app) => {
      await deleteParty(app, caller, params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/parties/:id/affiliations',
    summary: 'Affiliate a person to a party, with a role',
    tag,
    access: write,
    params: partyRefParam,
    body: createAffiliationBody,
    success: { status: 201, body: affiliationOut, description: 'Created' },
    handler: async ({ params, body, caller }, app) => ({ status: 201, body: await createAffiliation(app, caller, params.id, body) }),
  }),
];
