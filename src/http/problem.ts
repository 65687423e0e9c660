import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { translateDatabaseError } from '../db/errors';
import {
  AuthenticationError,
  ConflictError,
  DomainError,
  FieldError,
  ForbiddenError,
  InvalidInputError,
  MovedError,
  NotConfiguredError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  TooLargeError,
  UnprocessableError,
} from '../shared/errors';
import type { Logger } from '../shared/logger';

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `/problems/${code}`, title: TITLES[status] ?? 'Error', status, detail, ...extra };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

export function zodIssues(error: ZodError): FieldError[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

function statusOf(err: DomainError): number {
  if (err instanceof InvalidInputError) return 400;
  if (err instanceof AuthenticationError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof PreconditionFailedError) return 412;
  if (err instanceof TooLargeError) return 413;
  if (err instanceof UnprocessableError) return 422;
  if (err instanceof PreconditionRequiredError) return 428;
  if (err instanceof ServiceUnavailableError || err instanceof NotConfiguredError) return 503;
  return 500;
}

/** Errors raised by the body parser (it sets `type` and `status`). */
function bodyParserProblem(err: { type?: string; status?: number; message?: string }): Problem | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return problem(400, 'malformed-json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return problem(413, 'body-too-large', 'The request body is larger than this endpoint accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported-encoding', 'Send the body as UTF-8 JSON');
    case 'request.aborted':
      return problem(400, 'request-aborted', 'The request was aborted by the client');
    case 'request.size.invalid':
      return problem(400, 'malformed-body', 'The request body length does not match Content-Length');
    default:
      return undefined;
  }
}

/** The one place where anything thrown becomes an RFC 9457 problem. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof MovedError) {
      res.status(308).location(err.location);
      sendProblem(res, problem(308, 'moved', err.message, { location: err.location }));
      return;
    }
    if (err instanceof ZodError) {
      sendProblem(res, problem(400, 'invalid-input', 'The request does not match the expected shape', { errors: zodIssues(err) }));
      return;
    }
    const fromParser = bodyParserProblem(err);
    if (fromParser) {
      sendProblem(res, fromParser);
      return;
    }
    const domain = translateDatabaseError(err);
    if (domain) {
      const status = statusOf(domain);
      const extra: Record<string, unknown> = { ...domain.details };
      if ((domain instanceof InvalidInputError || domain instanceof UnprocessableError) && domain.errors.length) {
        extra.errors = domain.errors;
      }
      if (status === 503) res.set('Retry-After', '5');
      if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="counterpoint"');
      sendProblem(res, problem(status, domain.code, domain.message, extra));
      return;
    }
    logger.error('unhandled error', { requestId: req.requestId, method: req.method, path: req.path, error: err });
    sendProblem(res, problem(500, 'internal', 'Something went wrong on our side; the request id identifies it in our logs', { requestId: req.requestId }));
  };
}
