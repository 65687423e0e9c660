import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Router } from 'express';
import type { Database } from '../../db/client';
import type { AppContext } from '../../http/context';
import { problem, sendProblem } from '../../http/problem';
import { auditHead } from '../audit/service';
import { auditHeadSeq, httpDuration, httpRequests, poolConnections, registry } from './registry';

/** Counts every answer by its route template (`/v1/claims/:id`), never the raw path. */
export const countRequests: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.once('finish', () => {
    const route = req.route?.path;
    const labels = { method: req.method, route: typeof route === 'string' ? route : 'unmatched', status: String(res.statusCode) };
    httpRequests.inc(labels);
    end(labels);
  });
  next();
};

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

async function fillDatabaseGauges(app: AppContext, db: Database): Promise<void> {
  for (const [name, pool] of db.pools?.() ?? []) {
    poolConnections.set({ pool: name, state: 'in_use' }, pool.totalCount - pool.idleCount);
    poolConnections.set({ pool: name, state: 'idle' }, pool.idleCount);
    poolConnections.set({ pool: name, state: 'waiting' }, pool.waitingCount);
  }
  auditHeadSeq.set((await auditHead(app)).seq);
}

/**
 * GET /metrics in Prometheus text, for a scraper holding METRICS_TOKEN as
 * its bearer token (not an API key: the scraper gets no access to the API).
 * Without METRICS_TOKEN the endpoint is off.
 */
export function mountMetrics(router: Router, app: AppContext, db: Database): void {
  const token = app.config.metricsToken;
  router.get('/metrics', async (req, res) => {
    if (!token) return sendProblem(res, problem(404, 'metrics-off', 'Metrics are off: set METRICS_TOKEN to turn them on'));
    const sent = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!sent || !timingSafeEqual(digest(sent), digest(token))) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      return sendProblem(res, problem(401, 'unauthenticated', 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>"'));
    }
    // The pool and chain figures still come out when the database is away; only the head is missing then.
    await fillDatabaseGauges(app, db).catch(() => undefined);
    res.type(registry.contentType).set('Cache-Control', 'no-store').send(await registry.metrics());
  });
}
