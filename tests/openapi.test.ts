import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { allRoutes, createApp } from '../src/app';
import { openApiPath, operationId } from '../src/openapi/document';
import { readExamples } from '../src/openapi/examples';
import { loadFixtures } from '../src/seed/load';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';

const run = promisify(execFile);
const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const ARTIFACTS = path.resolve(__dirname, 'artifacts/openapi-client');

let t: TestApp;
let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
beforeAll(async () => {
  t = await startTestApp();
  await loadFixtures(t.ctx);
  doc = (await t.anonymous.get('/openapi.json').expect(200)).body;
});
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

test('every id in the served examples names a row of the seeded service, and copied GET examples answer 200', async () => {
  const served = (await t.anonymous.get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
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
  for (const id of ids) {
    const party = await p.party.findUnique({ where: { id }, select: { id: true } });
    const path = party ? `/v1/parties/${id}` : (await p.claim.findUnique({ where: { id } })) ? `/v1/claims/${id}` : (await p.source.findUnique({ where: { id } })) ? `/v1/sources/${id}` : undefined;
    if (path) expect(`${path} ${(await admin.get(path)).status}`).toBe(`${path} 200`);
  }
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
