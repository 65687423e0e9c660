import express, { Router, type RequestHandler } from 'express';
import type { Config } from './config/config';
import type { Database } from './db/client';
import { authenticate } from './http/auth';
import { jsonBody } from './http/body';
import { readerOf, type AppContext, type Caches } from './http/context';
import type { InFlight } from './http/in-flight';
import { errorHandler, problem, sendProblem } from './http/problem';
import { memoryLimits, postgresLimits, rateLimits, type LimitStore } from './http/rate-limit';
import { readRouting } from './http/read-routing';
import { keyCache } from './http/key-cache';
import { readCache } from './http/read-cache';
import { chainHeadSeq } from './modules/audit/repository';
import { securityHeaders } from './http/security-headers';
import { requestId } from './http/request-id';
import { mountRoutes, type RouteDef } from './http/route';
import type { Logger } from './shared/logger';
import { auditPublicRoutes, auditRoutes } from './modules/audit/routes';
import { claimRoutes } from './modules/claims/routes';
import { draftRoutes } from './modules/drafts/routes';
import { mountDashboard } from './modules/dashboard/routes';
import { docsRoutes, mountDocsPage } from './modules/docs/routes';
import { healthRoutes } from './modules/health/routes';
import { historyRoutes } from './modules/history/routes';
import { keyRoutes } from './modules/keys/routes';
import { meRoutes } from './modules/me/routes';
import { partyRoutes } from './modules/parties/routes';
import { sourceRoutes } from './modules/sources/routes';
import { reportRoutes } from './modules/reports/routes';
import { reviewRoutes } from './modules/reviews/routes';
import { settingRoutes } from './modules/settings/routes';
import { statsRoutes } from './modules/stats/routes';
import { countRequests, mountMetrics } from './modules/metrics/routes';
import { claimReviewExportRoutes, claimReviewImportRoutes } from './modules/claimreview/routes';
import { importBody } from './modules/claimreview/schema';
import { reviewPageRoutes } from './modules/claimreview/page';

/** What a key was shown is for that key only: no shared or browser cache keeps it. */
const keyedAnswersNotStored: RequestHandler = (req, res, next) => {
  if (req.actor) res.set('Cache-Control', 'no-store');
  next();
};

/** Off with replicas: the head and the answer could then be read from two servers at different points. */
function cachesOf(deps: AppDeps, ctx: AppContext): Caches | undefined {
  if (deps.config.readCacheMb === 0 || deps.db.replicas) return undefined;
  const read = readerOf(ctx);
  return { answers: readCache({ maxBytes: deps.config.readCacheMb * 1024 * 1024 }), keys: keyCache(), head: () => chainHeadSeq(read) };
}

export type AppDeps = {
  db: Database;
  config: Config;
  logger: Logger;
  /** Where rate-limit counts live; by default the PostgreSQL primary (or memory for the embedded database). */
  limits?: LimitStore;
  /** Counts the requests whose work is not over, for the shutdown to wait on. */
  inFlight?: InFlight;
};

const apiRoutes: RouteDef[] = [...partyRoutes, ...sourceRoutes, ...claimRoutes, ...draftRoutes, ...keyRoutes, ...auditRoutes, ...reviewRoutes, ...settingRoutes, ...statsRoutes, ...meRoutes, ...reportRoutes, ...claimReviewExportRoutes, ...historyRoutes];

const liveness = healthRoutes.filter((r) => r.path === '/healthz');
const publicRoutes: RouteDef[] = [...healthRoutes, ...auditPublicRoutes, ...docsRoutes(() => allRoutes), ...reviewPageRoutes];
// The per-address limit counts every public route but liveness, so each of them can answer 429.
const limitedPublicRoutes = publicRoutes.filter((r) => !liveness.includes(r)).map((r) => ({ ...r, problems: [...(r.problems ?? []), 429] }));

/** Every route of the service, in one list: the router and the API description read it. */
export const allRoutes: RouteDef[] = [...liveness, ...limitedPublicRoutes, ...claimReviewImportRoutes, ...apiRoutes];

/** Builds the HTTP application without listening; main.ts, tests and benchmarks share it. */
export function createApp(deps: AppDeps) {
  const ctx: AppContext = { prisma: deps.db.prisma, config: deps.config, logger: deps.logger, read: deps.db.read };
  ctx.caches = cachesOf(deps, ctx);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.config.trustProxy);
  if (deps.inFlight) app.use(deps.inFlight.track);
  app.use(requestId);
  app.use(countRequests);
  app.use(securityHeaders);
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    next();
  });
  const store = deps.limits ?? (deps.db.pool ? postgresLimits(deps.db.pool) : memoryLimits());
  const limits = rateLimits(store, deps.config.addressRateLimitPerMinute, deps.config.rateLimitPerMinute);
  const reads = readRouting(deps.db, deps.config.readYourWritesMs);
  app.use(reads.scope);
  const router = Router({ strict: false });
  // Liveness answers without the database, and the scraper has its own token: neither is rate-limited.
  mountRoutes(router, liveness, ctx);
  mountMetrics(router, ctx, deps.db);
  router.use(limits.byAddress);
  mountRoutes(router, limitedPublicRoutes, ctx);
  mountDocsPage(router);
  mountDashboard(router);
  router.use(authenticate(ctx));
  router.use(keyedAnswersNotStored);
  router.use(reads.forCaller);
  router.use(limits.byCaller);
  // Bodies are read only once the route has accepted the caller. The ClaimReview
  // import reads its own (up to 10 MB of JSON-LD or HTML); the rest of the API takes 2 MB of JSON.
  mountRoutes(router, claimReviewImportRoutes, ctx, importBody);
  mountRoutes(router, apiRoutes, ctx, jsonBody('2mb'));
  app.use(router);
  app.use((req, res) => {
    sendProblem(res, problem(404, 'no-such-route', `There is no ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
