import express, { type Router } from 'express';
import { z } from 'zod';
import path from 'node:path';
import { defineRoute, type RouteDef } from '../../http/route';
import { pagePolicy } from '../../http/security-headers';
import { buildOpenApiDocument } from '../../openapi/document';
import { attachExamples } from '../../openapi/examples';
import { version } from '../../../package.json';

const openApiOut = z.object({ openapi: z.string() }).catchall(z.unknown()).meta({ id: 'OpenApiDocument' });

/** The API description, built once from the routes the app serves. */
export function docsRoutes(routes: () => RouteDef[]): RouteDef[] {
  let document: unknown;
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tag: 'meta',
      access: { anonymous: true },
      success: { status: 200, body: openApiOut },
      handler: async () => {
        document ??= attachExamples(buildOpenApiDocument(routes(), version));
        return { body: document, headers: { 'Cache-Control': 'public, max-age=300' } };
      },
    }),
  ];
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>counterpoint API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

// The package's folder, found without loading the package: its main module evaluates the whole 1.5 MB UI bundle.
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** The human-readable docs, served from the installed swagger-ui-dist package (no CDN). */
export function mountDocsPage(router: Router): void {
  // Swagger UI sets element styles from its script; it loads nothing from elsewhere.
  router.use('/docs', pagePolicy({ styleSrc: ["'unsafe-inline'"] }));
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').set('Cache-Control', 'public, max-age=300').send(DOCS_PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(DOCS_INIT);
  });
  router.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' }));
}
