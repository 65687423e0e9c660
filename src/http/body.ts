import express, { type RequestHandler } from 'express';
import { InvalidInputError } from '../shared/errors';
import { problem, sendProblem } from './problem';

const JSON_TYPES = ['application/json', 'application/*+json'];

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes that are not UTF-8 would be decoded to U+FFFD and stored altered: refuse them instead. */
export function decodeUtf8(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new InvalidInputError('The request body is not valid UTF-8');
  }
}

export function requireUtf8(_req: unknown, _res: unknown, buf: Buffer): void {
  decodeUtf8(buf);
}

/**
 * Bodies are JSON, UTF-8, and at most `limit`. Anything else is answered
 * before a route sees it: 415 for another media type, 413 when too large,
 * 400 when the JSON is malformed (see problem.ts).
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, res, next) => {
    if (hasBody(req) && !req.is(JSON_TYPES)) {
      sendProblem(res, problem(415, 'unsupported-media-type', 'Send the request body as application/json'));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit, type: JSON_TYPES, strict: true, verify: requireUtf8 })];
}
