import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import request from 'supertest';
import { allRoutes, createApp } from '../src/app';
import { openApiPath, operationId } from '../src/openapi/document';
import { readExamples } from '../src/openapi/examples';
import { loadFixtures } from '../src/seed/load';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { contractCheck } from './helpers/contract';

const run = promisify(execFile);
const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const ARTIFACTS = path.resolve(__dirname, 'artifacts/openapi-client');

let t: TestApp;
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
beforeAll(async () => {
  t = await startTestApp();
  await loadFixtures(t.ctx);
  doc = (await t.anonymous.get('/openapi.json').expect(200)).body;
}, 180_000); // a seeded database, on a machine shared with other suites
afterAll(() => t.close());

test('the document is OpenAPI 3.1 and describes every route the app serves, with unique operation ids', () => {
  expect(doc.openapi).toBe('3.1.0');
  for (const route of allRoutes) {
    expect(doc.paths[openApiPath(route.path)]?.[route.method]).toBeDefined();
  }
  const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  expect(new Set(ids).size).toBe(ids.length);
});

test('/docs serves the reference page and its assets from the installed package', async () => {
  const page = await t.anonymous.get('/docs').expect(200).expect('content-type', /html/);
  expect(page.text).toContain('/docs/init.js');
  expect((await t.anonymous.get('/docs/init.js').expect(200)).text).toContain("url: '/openapi.json'");
  await t.anonymous.get('/docs/assets/swagger-ui-bundle.js').expect(200).expect('content-type', /javascript/);
});

test('what the seeded service answers matches the documented response schemas exactly', async () => {
  const admin = await t.as('ADMIN');
  const sourceId = (await admin.get('/v1/sources').expect(200)).body.data[0].id as string;
  const paths: Record<string, string> = {
    '/v1/parties': '/v1/parties?limit=5',
    '/v1/parties/:id': '/v1/parties/hakan-fidan',
    '/v1/sources': '/v1/sources',
    '/v1/sources/:id': `/v1/sources/${sourceId}`,
    '/v1/claims': '/v1/claims?limit=5',
    '/v1/claims/:id': `/v1/claims/${CEASEFIRE}`,
    '/v1/claims/:id/graph': `/v1/claims/${CEASEFIRE}/graph?depth=2`,
    '/v1/keys': '/v1/keys',
    '/v1/audit/events': '/v1/audit/events?limit=5',
    '/v1/audit/verify': '/v1/audit/verify',
    '/v1/audit/head': '/v1/audit/head',
    '/healthz': '/healthz',
    '/readyz': '/readyz',
  };
  let checked = 0;
  for (const route of allRoutes.filter((r) => r.method === 'get' && paths[r.path] && r.success?.body)) {
    const res = await admin.get(paths[route.path]!);
    expect(res.status).toBe(route.success!.status);
    // Parsing keeps only documented fields: equality means nothing undocumented was sent.
    expect(route.success!.body!.parse(res.body)).toEqual(res.body);
    checked += 1;
  }
  expect(checked).toBe(Object.keys(paths).length);
});

test('the examples drawn from the seed story still match the documented schemas', () => {
  const examples = readExamples();
  const byId = new Map(allRoutes.map((r) => [operationId(r), r]));
  expect(Object.keys(examples).length).toBeGreaterThanOrEqual(10);
  for (const [id, example] of Object.entries(examples)) {
    const route = byId.get(id);
    expect(route).toBeDefined();
    if (route!.body && example.request !== undefined) route!.body.parse(example.request);
    if (example.response !== undefined && id !== 'postKeys') {
      expect(route!.success!.body!.parse(example.response)).toEqual(example.response);
    }
  }
});

test('every id in the served examples names a row of the seeded service, and a GET with its path examples answers 200', async () => {
  type Served = { operationId: string; parameters?: { name: string; in: string; example?: string }[] };
  const served = (await t.anonymous.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Served>> };
  const UUID = /"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;
  const ids = new Set<string>();
  for (const item of Object.values(served.paths)) {
    for (const op of Object.values(item)) {
      // A new key's id and its actor are made by the very request the example shows.
      if (op.operationId === 'postKeys') continue;
      for (const [, id] of JSON.stringify(op).matchAll(UUID)) ids.add(id!);
    }
  }
  expect(ids.size).toBeGreaterThanOrEqual(30);
  const p = t.db.prisma;
  const where = { id: { in: [...ids] } };
  const select = { id: true } as const;
  const found = (
    await Promise.all([
      p.party.findMany({ where, select }),
      p.affiliation.findMany({ where, select }),
      p.source.findMany({ where, select }),
      p.claim.findMany({ where, select }),
      p.assertion.findMany({ where, select }),
      p.claimRelation.findMany({ where, select }),
    ])
  ).flat().map((r) => r.id);
  expect([...ids].filter((id) => !found.includes(id))).toEqual([]);

  const admin = await t.as('ADMIN');
  const fetched: string[] = [];
  for (const [template, item] of Object.entries(served.paths)) {
    const inPath = item.get?.parameters?.filter((q) => q.in === 'path') ?? [];
    if (!inPath.length || inPath.some((q) => q.example === undefined)) continue;
    const url = inPath.reduce((u, q) => u.replace(`{${q.name}}`, q.example!), template);
    fetched.push(`${url} ${(await admin.get(url)).status}`);
  }
  expect(fetched.length).toBeGreaterThanOrEqual(6);
  expect(fetched.filter((f) => !f.endsWith(' 200'))).toEqual([]);
});

type Op = { responses: Record<string, { $ref?: string }>; requestBody?: { content: Record<string, unknown> } };
const opOf = (method: string, p: string) => (doc.paths[p] as unknown as Record<string, Op>)[method]!;
const statuses = (method: string, p: string) => Object.keys(opOf(method, p).responses).map(Number);

describe('every status a route can answer is in the document (issue 15), and answered so through the contract check', () => {
  test('each route lists its success status: 201 for what creates (reviews too), 204 for deletions', () => {
    for (const route of allRoutes) {
      expect(`${route.method} ${route.path} ${statuses(route.method, openApiPath(route.path)).includes(route.success?.status ?? 200)}`).toBe(`${route.method} ${route.path} true`);
    }
    expect(statuses('post', '/v1/claims/{id}/reviews')).toContain(201);
    expect(statuses('post', '/v1/claims/{id}/reviews')).not.toContain(200);
  });

  test('every GET lists 304, and a dossier asked with its current ETag answers 304 with no body', async () => {
    for (const route of allRoutes.filter((r) => r.method === 'get')) expect([route.path, statuses('get', openApiPath(route.path)).includes(304)]).toEqual([route.path, true]);
    const admin = await t.as('ADMIN');
    const first = await admin.get(`/v1/claims/${CEASEFIRE}`).expect(200);
    const again = await admin.get(`/v1/claims/${CEASEFIRE}`).set('If-None-Match', first.headers.etag!);
    expect([again.status, again.text]).toEqual([304, '']);
  });

  test('every PATCH lists 412 and 428, and answers them without or with a stale If-Match', async () => {
    for (const route of allRoutes.filter((r) => r.method === 'patch')) expect(statuses('patch', openApiPath(route.path))).toEqual(expect.arrayContaining([412, 428]));
    const admin = await t.as('ADMIN');
    const missing = await admin.patch('/v1/parties/hakan-fidan', { description: 'Foreign Minister of Türkiye since 2023.' });
    expect([missing.status, missing.body.status]).toEqual([428, 428]);
    const stale = await admin.patch('/v1/parties/hakan-fidan', { description: 'Foreign Minister of Türkiye since 2023.' }, '"stale"');
    expect([stale.status, stale.body.status]).toEqual([412, 412]);
  });

  test('every route but /healthz lists 429 and every route 503, both with Retry-After; a limited /readyz answers 429 so', async () => {
    const problems = (doc as unknown as { components: { responses: Record<string, { headers?: Record<string, { required: boolean }> }> } }).components.responses;
    expect(problems.Problem429!.headers?.['Retry-After']?.required).toBe(true);
    expect(problems.Problem503!.headers?.['Retry-After']?.required).toBe(true);
    for (const route of allRoutes) {
      const listed = statuses(route.method, openApiPath(route.path));
      expect([route.path, listed.includes(429), listed.includes(503)]).toEqual([route.path, route.path !== '/healthz', true]);
    }
    const limited = request(express().use(contractCheck).use(createApp({ db: t.db, config: { ...t.ctx.config, addressRateLimitPerMinute: 1 }, logger: t.ctx.logger })));
    await limited.get('/readyz').expect(200);
    const refused = await limited.get('/readyz');
    expect([refused.status, refused.body.type, Number(refused.headers['retry-after']) > 0]).toEqual([429, '/problems/rate-limited', true]);
  });

  test('the ClaimReview import takes JSON-LD, JSON and HTML bodies, and a JSON-LD one is imported', async () => {
    expect(Object.keys(opOf('post', '/v1/imports/claimreview').requestBody!.content).sort()).toEqual(['application/json', 'application/ld+json', 'text/html']);
    const review = { '@context': 'https://schema.org', '@type': 'ClaimReview', url: 'https://factcheck.example.org/openapi-media', claimReviewed: 'The ceasefire ended on 3 November', author: { '@type': 'Organization', name: 'Example Fact Check' }, reviewRating: { '@type': 'Rating', ratingValue: 1, alternateName: 'False' }, itemReviewed: { '@type': 'Claim', author: { '@type': 'Person', name: 'A blogger' } }, datePublished: '2025-11-04' };
    const res = await (await t.as('REVIEWER')).post('/v1/imports/claimreview').set('Content-Type', 'application/ld+json').send(JSON.stringify(review));
    expect([res.status, res.body.summary]).toEqual([200, { found: 1, imported: 1, duplicate: 0, rejected: 0 }]);
  });
});

describe('a client generated from the document', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createApp({ db: t.db, config: t.ctx.config, logger: t.ctx.logger }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('type-checks and fetches the ceasefire dossier from a running server', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const bin = (name: string) => path.resolve(__dirname, '../node_modules/.bin', name);
    await run(bin('openapi-typescript'), [`${url}/openapi.json`, '-o', path.join(ARTIFACTS, 'api.d.ts')]);
    writeFileSync(
      path.join(ARTIFACTS, 'client.mts'),
      `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const client = createClient<paths>({ baseUrl: process.env.API_URL!, headers: { Authorization: \`Bearer \${process.env.API_KEY}\` } });
const { data, error } = await client.GET('/v1/claims/{id}', { params: { path: { id: process.env.CLAIM_ID! } } });
if (error || !data) throw new Error(JSON.stringify(error));
const affirming: string[] = data.positions.affirms.map((p) => p.party.name);
const countering: (string | undefined)[] = data.counterClaims.map((c) => c.by?.name);
console.log(JSON.stringify({ statement: data.statement, affirming, countering, summary: data.attributedSummary }));
`,
    );
    await run(bin('tsc'), [
      '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--skipLibCheck', path.join(ARTIFACTS, 'client.mts'),
    ]);
    const { stdout } = await run(bin('tsx'), [path.join(ARTIFACTS, 'client.mts')], {
      env: { ...process.env, API_URL: url, API_KEY: ADMIN_KEY, CLAIM_ID: CEASEFIRE },
    });
    const result = JSON.parse(stdout);
    expect(result.statement).toBe('Israel is regularly violating the Gaza ceasefire');
    expect(result.affirming).toContain('Türkiye');
    expect(result.countering).toContain('Israel');
  });
});
