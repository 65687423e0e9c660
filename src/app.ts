import express, { Router } from 'express';
import type { Config } from './config/config';
import type { Database } from './db/client';
import { authenticate } from './http/auth';
import { jsonBody } from './http/body';
import type { AppContext } from './http/context';
import { errorHandler, problem, sendProblem } from './http/problem';
import { rateLimit } from './http/rate-limit';
import { requestId } from './http/request-id';
import { mountRoutes, type RouteDef } from './http/route';
import type { Logger } from './shared/logger';
import { auditRoutes } from './modules/audit/routes';
import { claimRoutes } from './modules/claims/routes';
import { draftRoutes } from './modules/drafts/routes';
import { mountDashboard } from './modules/dashboard/routes';
import { docsRoutes, mountDocsPage } from './modules/docs/routes';
import { healthRoutes } from './modules/health/routes';
import { keyRoutes } from './modules/keys/routes';
import { meRoutes } from './modules/me/routes';
import { partyRoutes } from './modules/parties/routes';
import { sourceRoutes } from './modules/sources/routes';
import { reportRoutes } from './modules/reports/routes';
import { reviewRoutes } from './modules/reviews/routes';
import { settingRoutes } from './modules/settings/routes';
import { statsRoutes } from './modules/stats/routes';
import { claimReviewExportRoutes, claimReviewImportRoutes } from './modules/claimreview/routes';
import { IMPORT_PATH, importBody } from './modules/claimreview/schema';

export type AppDeps = { db: Database; config: Config; logger: Logger };

const apiRoutes: RouteDef[] = [...partyRoutes, ...sourceRoutes, ...claimRoutes, ...draftRoutes, ...keyRoutes, ...auditRoutes, ...reviewRoutes, ...settingRoutes, ...statsRoutes, ...meRoutes, ...reportRoutes, ...claimReviewExportRoutes];

const publicRoutes: RouteDef[] = [...healthRoutes, ...docsRoutes(() => allRoutes)];

/** Every route of the service, in one list: the router and the API description read it. */
export const allRoutes: RouteDef[] = [...publicRoutes, ...claimReviewImportRoutes, ...apiRoutes];

/** Builds the HTTP application without listening; main.ts, tests and benchmarks share it. */
export function createApp(deps: AppDeps) {
  const ctx: AppContext = { prisma: deps.db.prisma, config: deps.config, logger: deps.logger };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cache-Control', 'no-cache');
    next();
  });
  const router = Router({ strict: false });
  mountRoutes(router, publicRoutes, ctx);
  mountDocsPage(router);
  mountDashboard(router);
  router.use(authenticate(ctx));
  router.use(rateLimit(deps.config.rateLimitPerMinute));
  // The ClaimReview import reads its own body (up to 10 MB of JSON-LD or HTML): before the 2 MB JSON parser.
  router.use(IMPORT_PATH, importBody);
  mountRoutes(router, claimReviewImportRoutes, ctx);
  router.use(jsonBody('2mb'));
  mountRoutes(router, apiRoutes, ctx);
  app.use(router);
  app.use((req, res) => {
    sendProblem(res, problem(404, 'no-such-route', `There is no ${req.method} ${req.path}`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
