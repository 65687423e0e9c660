import type { Request, RequestHandler, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import { requestHead, type AppContext, type Caller } from './context';
import { roleAllows, type Permission } from './permissions';
import { AuthenticationError, ForbiddenError, InvalidInputError } from '../shared/errors';
import { idempotent } from './idempotency';
import { zodIssues } from './problem';
import { currentReadScope } from '../db/read-scope';
import { COMMIT_LSN_HEADER } from './read-routing';

export type Reply = {
  status?: number;
  body?: unknown;
  /** A body already serialised as JSON (the database wrote it, or a page assembled from stored JSON): sent as it is. */
  json?: string | Buffer;
  headers?: Record<string, string>;
  /** Sent as ETag; a matching If-None-Match answers 304. */
  etag?: string;
  /** A streamed body (reports): written to the response as it is produced, after status and headers. */
  stream?: (res: Response) => Promise<void>;
};

type Access =
  | { permission: Permission }
  /** A GET of parties, sources or claims: open to anyone when PUBLIC_READ is on. */
  | { permission: 'read'; publicRead: true }
  | { anonymous: true };

export type RouteInput<B, Q, P> = {
  body: B;
  query: Q;
  params: P;
  caller: Caller;
  headers: Request['headers'];
};

export type RouteDef<B = unknown, Q = unknown, P = unknown> = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** When the one derived from method and path would clash (a public page beside the API route of the same name). */
  operationId?: string;
  tag: string;
  access: Access;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** What success answers — its status and body shape — for the API description and contract tests. */
  success?: { status: number; body?: ZodType; description?: string; /** The media types of a success that is not (only) JSON: HTML pages, JSON-LD, CSV reports. */ contentType?: string | string[] };
  /** Problem statuses it can answer beyond those its method, body and params imply (for the API description). */
  problems?: number[];
  /**
   * A GET whose answer depends on the URL and the ledger alone (not on the caller, the clock or other
   * headers): repeated requests are answered from the read cache until the ledger changes.
   */
  cached?: true;
  handler: (input: RouteInput<B, Q, P>, app: AppContext) => Promise<Reply>;
};

/** Keeps each route's input types tied to its schemas. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): RouteDef {
  return def as unknown as RouteDef;
}

const emptyQuery = z.strictObject({});

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidInputError(`The request ${where} is not valid`, zodIssues(result.error));
  }
  return result.data;
}

function isNonEmpty(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  return typeof body !== 'object' || Object.keys(body).length > 0;
}

function authorise(req: Request, access: Access, app: AppContext): void {
  if ('anonymous' in access) return;
  if ('publicRead' in access && app.config.publicRead) return;
  if (!req.actor) {
    throw new AuthenticationError('This endpoint needs an API key: send "Authorization: Bearer <key>"');
  }
  if (!roleAllows(req.actor.role, access.permission)) {
    throw new ForbiddenError(`The ${req.actor.role} role may not do this (needs permission '${access.permission}')`);
  }
}

function send(req: Request, res: Response, reply: Reply): Promise<void> | void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.set(k, v);
  if (reply.etag) {
    res.set('ETag', reply.etag);
    const inm = req.get('if-none-match');
    if (req.method === 'GET' && inm && inm.split(',').some((t) => t.trim() === reply.etag || t.trim() === '*')) {
      res.status(304).end();
      return;
    }
  }
  const status = reply.status ?? 200;
  if (reply.stream) {
    res.status(status);
    return reply.stream(res);
  }
  if (reply.json !== undefined) {
    // Written in one piece, headers and body together: res.send turns a long string into a
    // Buffer, which Node then writes apart from the headers.
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(reply.json));
    res.end(reply.json);
    return;
  }
  if (reply.body === undefined) {
    res.status(status).end();
    return;
  }
  res.status(status).json(reply.body);
}

function handlerFor(def: RouteDef, app: AppContext): RequestHandler {
  return async (req, res) => {
    // The request stays in flight until its handler is done, even if its client hangs up first.
    const release = req.hold?.();
    try {
      await handle(def, app, req, res);
    } finally {
      release?.();
    }
  };
}

async function handle(def: RouteDef, app: AppContext, req: Request, res: Response): Promise<void> {
  const params = parse(def.params, req.params, 'path');
  const query = parse(def.query ?? emptyQuery, req.query, 'query');
  if (!def.body && isNonEmpty(req.body)) {
    throw new InvalidInputError('This endpoint takes no request body', [{ path: '(root)', message: 'unexpected body' }]);
  }
  const body = parse(def.body, req.body ?? {}, 'body');
  const run = (ctx: AppContext) => def.handler({ body, query, params, caller: { actor: req.actor, requestId: req.requestId }, headers: req.headers }, ctx);
  // Every POST honours Idempotency-Key (SPEC §3.1), scoped to the calling actor.
  const key = def.method === 'post' ? req.get('idempotency-key') : undefined;
  const reply =
    key !== undefined && req.actor
      ? await idempotent(app, req, req.actor.id, key, run)
      : def.cached && app.caches
        ? await app.caches.answers.serve(req.originalUrl, requestHead(req, app.caches), () => run(app))
        : await run(app);
  const commitLsn = currentReadScope()?.commitLsn;
  if (commitLsn && commitLsn !== 'primary') res.set(COMMIT_LSN_HEADER, commitLsn);
  await send(req, res, reply);
}

/**
 * Each route is a chain: who may call it, then its body (`bodyParsers`, so
 * that a caller without the right key never gets a body read), then the handler.
 */
export function mountRoutes(router: Router, defs: RouteDef[], app: AppContext, bodyParsers: RequestHandler[] = []): void {
  for (const def of defs) {
    const gate: RequestHandler = (req, _res, next) => {
      authorise(req, def.access, app);
      next();
    };
    router[def.method](def.path, gate, ...bodyParsers, handlerFor(def, app));
  }
}
