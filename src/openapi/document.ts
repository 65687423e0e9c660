import { z, type ZodType } from 'zod';
import type { RouteDef } from '../http/route';
import { PERMISSIONS } from '../http/permissions';
import { problemOut } from './common';

const COMPONENT = (id: string) => `#/components/schemas/${id}`;

type Json = Record<string, unknown>;

/** Express `/v1/claims/:id` → OpenAPI `/v1/claims/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function operationId(def: RouteDef): string {
  if (def.operationId) return def.operationId;
  const words = openApiPath(def.path)
    .replace(/^\/v1\//, '')
    .split(/[/{}-]+/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)));
  return `${def.method}${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

/** Request schemas are described as the client sends them (defaults optional, before transforms). */
function requestSchema(schema: ZodType): Json {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return json;
}

function parameters(def: RouteDef): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [['path', def.params], ['query', def.query]] as const) {
    if (!schema) continue;
    const json = requestSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = prop as { description?: string };
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: rest,
        ...(description && { description }),
      });
    }
  }
  return out;
}

const TAG_TEXT: Record<string, string> = {
  health: 'Liveness and readiness probes',
  meta: 'This API described',
  parties: 'States, bodies, groups, media and people that statements are attributed to',
  sources: 'Documents and occasions where statements appear; quotes are anchored in their text',
  claims: 'Claims, the stances parties take on them, counter-claims and merges',
  keys: 'API keys (ADMIN)',
  audit: 'The tamper-evident, hash-chained audit log (ADMIN)',
};

/** The import takes JSON-LD or an HTML page as its body (see claimreview/schema.ts). */
const REQUEST_MEDIA: Record<string, string[]> = {
  '/v1/imports/claimreview': ['application/ld+json', 'application/json', 'text/html'],
};

const PROBLEM_TEXT: Record<number, string> = {
  308: 'The claim was merged; follow Location to the claim that survived',
  400: 'Malformed request: bad JSON, wrong types, unknown fields',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key’s role may not do this',
  404: 'No such resource',
  409: 'Conflict with the current state (duplicate, in use, illegal transition…)',
  412: 'If-Match does not match the current version',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Well-formed but semantically invalid (e.g. a quote absent from its source)',
  428: 'If-Match is required',
  429: 'Rate limit exceeded',
  503: 'The database is unavailable or busy (a lock or statement over its timeout, no free connection); retry after Retry-After seconds',
};

/** The answers that say when to try again. */
const RETRY_AFTER = new Set([429, 503]);
const retryAfter = { description: 'seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 1 } };

function problemStatuses(def: RouteDef): number[] {
  const statuses = new Set<number>([400, 500, 503]);
  if (!('anonymous' in def.access)) [401, 403, 429].forEach((s) => statuses.add(s));
  if (def.params) statuses.add(404);
  if (def.query) statuses.add(422);
  if (def.body) [413, 415, 422].forEach((s) => statuses.add(s));
  if (def.method !== 'get') [409, 422].forEach((s) => statuses.add(s));
  if (def.method === 'patch') [412, 428].forEach((s) => statuses.add(s));
  if (def.path.startsWith('/v1/claims/:id')) statuses.add(308);
  def.problems?.forEach((s) => statuses.add(s));
  return [...statuses].sort();
}

function operation(def: RouteDef): Json {
  const responses: Json = {};
  const success = def.success ?? { status: 200 };
  const media = [success.contentType ?? 'application/json'].flat();
  const schemaFor = (m: string) => (success.body && m.endsWith('json') ? { $ref: COMPONENT(schemaId(success.body)) } : m.startsWith('text/') ? { type: 'string' } : {});
  responses[String(success.status)] = {
    description: success.description ?? (success.status === 204 ? 'Done; no content' : 'Success'),
    ...(success.status !== 204 && { content: Object.fromEntries(media.map((m) => [m, { schema: schemaFor(m) }])) }),
  };
  // Any GET may be made conditional: a matching If-None-Match is answered 304 with no body.
  if (def.method === 'get') responses['304'] = { description: 'Not modified: the If-None-Match ETag is current' };
  for (const status of problemStatuses(def)) {
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  }
  const role = 'permission' in def.access ? PERMISSIONS[def.access.permission] : undefined;
  return {
    operationId: operationId(def),
    summary: def.summary,
    tags: [def.tag],
    ...(role && {
      description: `Needs the ${role} role (or higher)${'publicRead' in def.access ? '; open to anyone when PUBLIC_READ=true' : ''}.`,
    }),
    security: 'anonymous' in def.access ? [] : 'publicRead' in def.access ? [{ bearer: [] }, {}] : [{ bearer: [] }],
    parameters: parameters(def),
    ...(def.body && { requestBody: { required: true, content: requestContent(def) } }),
    responses,
  };
}

function requestContent(def: RouteDef): Json {
  const media = REQUEST_MEDIA[def.path];
  if (!media) return { 'application/json': { schema: requestSchema(def.body!) } };
  return Object.fromEntries(media.map((m) => [m, { schema: m === 'text/html' ? { type: 'string', description: 'an HTML page with JSON-LD script blocks' } : { description: 'schema.org ClaimReview JSON-LD' } }]));
}

function schemaId(schema: ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('a success body schema must carry .meta({ id })');
  return id;
}

/**
 * The OpenAPI 3.1 description of the API, built from the same route
 * definitions and zod schemas the router validates with: it cannot describe
 * a route, field or rule the code does not have.
 */
export function buildOpenApiDocument(routes: RouteDef[], version: string): Json & { paths: Record<string, Json> } {
  const paths: Record<string, Json> = {};
  for (const def of routes) {
    const path = openApiPath(def.path);
    paths[path] = { ...paths[path], [def.method]: operation(def) };
  }
  const registry = z.toJSONSchema(z.globalRegistry, { io: 'output', unrepresentable: 'any', uri: COMPONENT }) as { schemas: Record<string, Json> };
  const schemas = Object.fromEntries(
    Object.entries(registry.schemas).map(([id, s]) => {
      const { $schema: _ignored, $id: _id, ...rest } = s;
      return [id, rest];
    }),
  );
  const problemRef = { $ref: COMPONENT(schemaId(problemOut)) };
  const problemResponses = Object.fromEntries(
    Object.entries(PROBLEM_TEXT)
      .concat([['500', 'Unexpected failure; the body carries a requestId and no internals']])
      .map(([status, description]) => [
        `Problem${status}`,
        {
          description,
          ...(RETRY_AFTER.has(Number(status)) && { headers: { 'Retry-After': retryAfter } }),
          content: { 'application/problem+json': { schema: problemRef } },
        },
      ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'counterpoint',
      version,
      summary: 'Claims and attribution for newsrooms and fact-checkers',
      description:
        'Who said what, where, when, and who says otherwise. Every claim carries the parties that assert it, the speaker, ' +
        'the source and the verbatim quote, and the denials and counter-claims of other parties. Errors are RFC 9457 problem+json.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name, description: TAG_TEXT[name] ?? `The ${name} endpoints` })),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key issued by POST /v1/keys' } },
      schemas,
      responses: problemResponses,
    },
  };
}
