import { contentEtag, ifMatchOf, jsonEtag } from '../../http/etag';
import { defineRoute } from '../../http/route';
import { assertionBody, assertionIdParam, withdrawBody } from '../assertions/schema';
import { addAssertion, withdrawAssertion } from '../assertions/service';
import { claimGraph } from '../relations/graph';
import { createRelationBody } from '../relations/schema';
import { createRelation } from '../relations/service';
import { claimIdParam, createClaimBody, graphQuery, listClaimsQuery, mergeBody, patchClaimBody } from './schema';
import { assertionOut, claimPageOut, dossierOut, graphOut, relationOut } from './responses';
import { asOfQuery } from '../history/schema';
import { getDossierAsOf } from '../history/service';
import { createClaim, getDossierJson, listClaims, mergeClaim, patchClaim } from './service';

const tag = 'claims';
const write = { permission: 'claims:write' } as const;
const read = { permission: 'read', publicRead: true } as const;

export const claimRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/claims',
    summary: 'Record a claim together with its first assertion',
    tag,
    access: write,
    body: createClaimBody,
    success: { status: 201, body: dossierOut, description: 'Created: the new claim’s dossier' },
    handler: async ({ body, caller }, app) => {
      const dossier = await createClaim(app, caller, body);
      return { status: 201, body: dossier, etag: contentEtag(dossier), headers: { Location: `/v1/claims/${dossier.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/claims',
    summary: 'Search claims; every hit carries who affirms and who denies',
    tag,
    access: read,
    cached: true,
    query: listClaimsQuery,
    success: { status: 200, body: claimPageOut },
    problems: [422], // party= or speaker= names no party

    handler: async ({ query }, app) => ({ json: await listClaims(app, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/claims/:id',
    summary: 'The claim dossier: positions side by side, counter-claims, verdicts',
    tag,
    access: read,
    cached: true,
    params: claimIdParam,
    query: asOfQuery,
    success: { status: 200, body: dossierOut },
    handler: async ({ params, query }, app) => {
      if (query.asOf) {
        const { dossier, untilSeq } = await getDossierAsOf(app, params.id, query.asOf);
        return { body: dossier, headers: { 'X-Audit-Seq': String(untilSeq) } };
      }
      const json = await getDossierJson(app, params.id);
      return { json, etag: jsonEtag(json) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/claims/:id',
    summary: 'Reword a claim or change its topics and subjects (If-Match required)',
    tag,
    access: write,
    params: claimIdParam,
    body: patchClaimBody,
    success: { status: 200, body: dossierOut },
    handler: async ({ params, body, caller, headers }, app) => {
      const dossier = await patchClaim(app, caller, params.id, ifMatchOf(headers['if-match']), body);
      return { body: dossier, etag: contentEtag(dossier) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/claims/:id/assertions',
    summary: 'Record another party’s stance on a claim',
    tag,
    access: write,
    params: claimIdParam,
    body: assertionBody,
    success: { status: 201, body: assertionOut, description: 'Created' },
    handler: async ({ params, body, caller }, app) => ({ status: 201, body: await addAssertion(app, caller, params.id, body) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/assertions/:id/withdraw',
    summary: 'Withdraw a wrong attribution (it stays in history)',
    tag,
    access: write,
    params: assertionIdParam,
    body: withdrawBody,
    success: { status: 200, body: assertionOut },
    handler: async ({ params, body, caller }, app) => ({ body: await withdrawAssertion(app, caller, params.id, body) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/claims/:id/relations',
    summary: 'Relate this claim to another: "this claim COUNTERS that one"',
    tag,
    access: write,
    params: claimIdParam,
    body: createRelationBody,
    success: { status: 201, body: relationOut, description: 'Created' },
    handler: async ({ params, body, caller }, app) => ({ status: 201, body: await createRelation(app, caller, params.id, body) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/claims/:id/graph',
    summary: 'The network of counter- and supporting claims around a claim',
    tag,
    access: read,
    params: claimIdParam,
    query: graphQuery,
    success: { status: 200, body: graphOut },
    handler: async ({ params, query }, app) => {
      const graph = await claimGraph(app, params.id, query.depth);
      return { body: graph, etag: contentEtag(graph) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/claims/:id/merge',
    summary: 'Merge a duplicate claim into another; it then redirects there',
    tag,
    access: write,
    params: claimIdParam,
    body: mergeBody,
    success: { status: 200, body: dossierOut, description: 'Merged: the surviving claim’s dossier' },
    handler: async ({ params, body, caller }, app) => {
      const dossier = await mergeClaim(app, caller, params.id, body.intoClaimId);
      return { body: dossier, etag: contentEtag(dossier) };
    },
  }),
];
