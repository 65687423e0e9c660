import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every request carries an id (the caller's, when sane) into logs, problems and audit events. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  req.requestId = given && SAFE_ID.test(given) ? given : randomUUID();
  res.set('X-Request-Id', req.requestId);
  next();
};
