import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { requestHead, type AppContext } from './context';
import { AuthenticationError } from '../shared/errors';
import { onPrimary } from '../db/read-scope';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,512})$/;

/**
 * Resolves the bearer key to its actor, if a key was sent. Whether the route
 * needs one is decided later, by the route's permission. A key that was sent
 * but is unknown or revoked is refused at once: a typo should not quietly
 * fall back to anonymous access.
 */
export function authenticate(app: AppContext): RequestHandler {
  return async (req, _res, next) => {
    req.actor = null;
    const header = req.get('authorization');
    if (header === undefined) return next();
    const match = BEARER.exec(header);
    if (!match?.[1]) throw new AuthenticationError('The Authorization header must be "Bearer <api key>"');
    const hash = hashApiKey(match[1]);
    const find = () =>
      app.prisma.apiKey.findUnique({
        where: { keyHash: hash },
        select: { revokedAt: true, actor: { select: { id: true, name: true, role: true } } },
      });
    // A key issued a moment ago may not have reached the replica yet: a miss is asked of the primary.
    const stored = async () => (await find()) ?? (await onPrimary(find));
    const key = app.caches ? await app.caches.keys.lookup(hash, await requestHead(req, app.caches), stored) : await stored();
    if (!key || key.revokedAt) throw new AuthenticationError('The API key is unknown or revoked');
    req.actor = key.actor;
    next();
  };
}
