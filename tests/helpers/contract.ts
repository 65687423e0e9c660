import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RequestHandler } from 'express';
import { allRoutes } from '../../src/app';
import { buildOpenApiDocument, openApiPath } from '../../src/openapi/document';
import { CONTRACT_DIR_ENV } from './contract-counts';

/*
 * The contract run (issue 15): every request a test sends through the shared
 * harness, and every answer, checked against the OpenAPI document the
 * service generates from `allRoutes` (so routes added anywhere are covered).
 * An answer's status must be documented for its operation, its media type
 * documented for that status, and its JSON body valid against the schema;
 * a request whose JSON body the document refuses must not succeed. A
 * mismatch fails the test that made the request (see contract-setup.ts),
 * naming the route and what differs. Counts go to CONTRACT_DIR for the
 * run's total (global-teardown.ts prints it).
 */

type Json = Record<string, unknown>;
type Operation = { template: string; method: string; pattern: RegExp; op: Json };

let state: { doc: Json; ajv: Ajv2020; ops: Operation[]; validators: Map<string, ValidateFunction> } | undefined;
const mismatches: string[] = [];
export const counts = { requests: 0, responses: 0 };

function load() {
  if (state) return state;
  const doc = buildOpenApiDocument(allRoutes, 'contract') as Json & { paths: Record<string, Record<string, Json>> };
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components } as Json);
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}/?$`);
    for (const [method, op] of Object.entries(item)) ops.push({ template, method, pattern, op });
  }
  // Literal paths before templated ones (/v1/claims/search before /v1/claims/{id}).
  ops.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  state = { doc, ajv, ops, validators: new Map() };
  return state;
}

/** A schema from the document, its #/components references pointed at the registered document. */
function validator(key: string, schema: unknown): ValidateFunction {
  const s = load();
  let v = s.validators.get(key);
  if (!v) {
    const rewritten = JSON.parse(JSON.stringify(schema ?? {}).replace(/"#\/components\//g, '"doc#/components/'));
    v = s.ajv.compile(rewritten);
    s.validators.set(key, v);
  }
  return v;
}

function resolveResponse(response: Json | undefined): Json | undefined {
  const ref = response?.$ref;
  if (typeof ref !== 'string') return response;
  const name = ref.replace('#/components/responses/', '');
  return ((load().doc.components as Json).responses as Record<string, Json>)[name];
}

const describeErrors = (v: ValidateFunction) => (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');

function check(method: string, url: string, requestBody: unknown, requestType: string | undefined, status: number, header: (name: string) => string | undefined, raw: string): string[] {
  const contentType = header('content-type');
  const pathname = url.split('?')[0]!;
  const found = load().ops.find((o) => o.method === method && o.pattern.test(pathname));
  if (!found) return []; // not an API route (the dashboard, /docs assets, unknown paths answered 404 by the router)
  const where = `${method.toUpperCase()} ${found.template} (${url.slice(0, 120)})`;
  const problems: string[] = [];
  const op = found.op as { requestBody?: { content: Record<string, { schema?: unknown }> }; responses: Record<string, Json> };

  counts.requests += 1;
  const jsonRequest = requestType?.includes('json') && requestBody !== undefined;
  const requestSchema = op.requestBody?.content['application/json']?.schema;
  if (jsonRequest && requestSchema && status < 300) {
    const v = validator(`${where}:request`, requestSchema);
    if (!v(requestBody)) problems.push(`${where}: answered ${status} to a request body the document refuses: ${describeErrors(v)}`);
  }

  counts.responses += 1;
  const documented = resolveResponse(op.responses[String(status)]);
  if (!documented) {
    problems.push(`${where}: answered ${status}, which the document does not list (it lists ${Object.keys(op.responses).join(', ')})`);
    return problems;
  }
  for (const [name, h] of Object.entries((documented.headers ?? {}) as Record<string, { required?: boolean }>)) {
    if (h.required && !header(name)) problems.push(`${where}: answered ${status} without the ${name} header the document requires`);
  }
  if (status === 204 || status === 304 || method === 'head' || raw === '') return problems;
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const content = documented.content as Record<string, { schema?: unknown }> | undefined;
  if (!content?.[media]) {
    problems.push(`${where}: answered ${status} as ${media || 'no media type'}, documented as ${Object.keys(content ?? {}).join(', ') || 'no content'}`);
    return problems;
  }
  if (media.endsWith('json') && content[media]!.schema) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      problems.push(`${where}: answered ${status} with a body that is not JSON`);
      return problems;
    }
    const v = validator(`${where}:${status}:${media}`, content[media]!.schema);
    if (!v(body)) problems.push(`${where}: the ${status} body does not match the document: ${describeErrors(v)}`);
  }
  return problems;
}

/** Express middleware: records each answer and checks it when it ends. */
export const contractCheck: RequestHandler = (req, res, next) => {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  (res as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  };
  (res as unknown as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    try {
      const found = check(
        req.method.toLowerCase(),
        req.originalUrl,
        req.body,
        req.get('content-type'),
        res.statusCode,
        (name) => res.get(name) as string | undefined,
        Buffer.concat(chunks).toString('utf8'),
      );
      mismatches.push(...found);
    } catch (err) {
      mismatches.push(`${req.method} ${req.originalUrl}: the contract check failed: ${(err as Error).message}`);
    }
    return end(chunk, ...rest);
  };
  next();
};

export function takeMismatches(): string[] {
  return mismatches.splice(0);
}

/** This worker's counts, for the run's total. */
export function recordCounts(file: string): void {
  const dir = process.env[CONTRACT_DIR_ENV];
  if (!dir || counts.requests === 0) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${process.pid}-${path.basename(file)}-${Date.now()}.json`), JSON.stringify(counts));
}

export { openApiPath };
