import type { RequestHandler } from 'express';
import type { Database } from '../db/client';
import { currentReadScope, inReadScope, laterLsn, parseLsn } from '../db/read-scope';
import { InvalidInputError } from '../shared/errors';

export const COMMIT_LSN_HEADER = 'Commit-LSN';
export const MIN_LSN_HEADER = 'Min-LSN';

const PRIMARY = 2n ** 64n; // a position no replica has: "the primary only"

/**
 * Read your writes across replicas. Every write answers `Commit-LSN`; a read
 * that sends it back as `Min-LSN`, or comes from the same key within
 * `windowMs` of its write on this instance, is served by a replica only once
 * that replica has replayed it, else by the primary.
 */
export function readRouting(db: Database, windowMs: number): { scope: RequestHandler; forCaller: RequestHandler } {
  if (!db.replicas) {
    const pass: RequestHandler = (_req, _res, next) => next();
    return { scope: pass, forCaller: pass };
  }
  const recentWrites = new Map<string, { lsn: bigint; until: number }>();
  const scope: RequestHandler = (req, _res, next) => {
    const sent = req.get(MIN_LSN_HEADER);
    const minLsn = sent === undefined ? undefined : parseLsn(sent);
    if (sent !== undefined && minLsn === undefined) throw new InvalidInputError(`${MIN_LSN_HEADER} must be a WAL position such as 16/B374D848 (from a ${COMMIT_LSN_HEADER} header)`);
    inReadScope({ replicasAllowed: req.method === 'GET' || req.method === 'HEAD', minLsn, tracksCommits: true }, next);
  };
  const forCaller: RequestHandler = (req, res, next) => {
    const s = currentReadScope();
    const actor = req.actor?.id;
    if (!s || !actor) return next();
    const recent = recentWrites.get(actor);
    if (recent && recent.until > Date.now()) s.minLsn = laterLsn(s.minLsn, recent.lsn);
    res.once('finish', () => {
      if (!s.commitLsn) return;
      if (recentWrites.size > 10_000) for (const [k, v] of recentWrites) if (v.until <= Date.now()) recentWrites.delete(k);
      recentWrites.set(actor, { lsn: parseLsn(s.commitLsn) ?? PRIMARY, until: Date.now() + windowMs });
    });
    next();
  };
  return { scope, forCaller };
}
