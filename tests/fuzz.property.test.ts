import fc from 'fast-check';
import { allRoutes } from '../src/app';
import { buildOpenApiDocument } from '../src/openapi/document';
import { readExamples } from '../src/openapi/examples';
import { loadFixtures } from '../src/seed/load';
import { replayToState } from '../src/modules/history/replay';
import { liveState } from '../src/modules/history/tables';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { compareColumnByColumn } from './helpers/ledger-compare';

/*
 * Bad input, as a property: every operation of the OpenAPI document, sent
 * random path ids, query values and bodies (its recorded example with a
 * field replaced, dropped or added, or any JSON at all, or text that is not
 * JSON), answers below 500, and every refusal is a problem+json that names
 * its own status. The harness also checks each answer against the document
 * (contract.ts). Mostly with an administrator's key, so the input reaches
 * the handlers rather than stopping at authentication; now and then as an
 * editor, a reader, anonymously or with a key that does not exist, and with
 * a body of another media type. Afterwards the audit
 * chain still verifies and replays to the live tables: what was accepted
 * was written whole, through the chain. FUZZ_RUNS sets the requests per
 * operation, FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
jest.setTimeout(600_000);

type Param = { name: string; in: string };
type Operation = { operationId: string; parameters?: Param[]; requestBody?: { content: Record<string, unknown> } };
type Target = { method: string; path: string; op: Operation };

const doc = buildOpenApiDocument(allRoutes, 'fuzz') as unknown as { paths: Record<string, Record<string, Operation>> };
const targets: Target[] = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));
const examples = readExamples();
let t: TestApp;
let ids: string[] = [];
const keys: Record<string, string | undefined> = { admin: ADMIN_KEY, anonymous: undefined, unknown: 'cp_not-a-key-0000000000000000000000' };

beforeAll(async () => {
  t = await startTestApp();
  await loadFixtures(t.ctx);
  [keys.reader, keys.editor] = await Promise.all([t.keyFor('READER'), t.keyFor('EDITOR')]);
  const p = t.db.prisma;
  const rows = await Promise.all([
    p.claim.findMany({ select: { id: true }, take: 4 }),
    p.party.findMany({ select: { id: true, slug: true }, take: 4 }),
    p.source.findMany({ select: { id: true }, take: 3 }),
    p.assertion.findMany({ select: { id: true }, take: 3 }),
    p.review.findMany({ select: { id: true }, take: 3 }),
  ]);
  // Real ids reach deeper than made-up ones; keys are left out, so the run cannot revoke its own.
  ids = rows.flat().flatMap((r) => ('slug' in r ? [r.id, r.slug] : [r.id]));
}, 180_000);
afterAll(() => t.close());

const hostileText = fc.constantFrom(
  '', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', "' OR 1=1 --", '%', '%ZZ', '%C3%28', '..%2F..%2Fetc', '<script>alert(1)</script>',
  'a'.repeat(5000), '٣', '🇵🇸🇮🇱', 'ı̇', '\u202e', '2026-02-30', '2026-12-03T25:00:00Z', '00000000-0000-0000-0000-000000000000',
);
const text = fc.oneof(hostileText, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.uuid().map(String));
const idValue = () => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: text });
const queryValue = fc.oneof(text, fc.integer().map(String), fc.double().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));

/** The body, from the operation's recorded example when it has one. */
function bodyOf(op: Operation): fc.Arbitrary<{ raw?: string; json?: unknown }> {
  const example = examples[op.operationId]?.request;
  const base = example && typeof example === 'object' && !Array.isArray(example) ? (example as Record<string, unknown>) : {};
  const keys = Object.keys(base);
  const replaced = keys.length
    ? fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ json: { ...base, [k]: v } }))
    : fc.jsonValue().map((v) => ({ json: { field: v } }));
  const dropped = keys.length ? fc.constantFrom(...keys).map((k) => ({ json: Object.fromEntries(Object.entries(base).filter(([key]) => key !== k)) })) : fc.constant({ json: {} });
  return fc.oneof(
    { weight: 4, arbitrary: replaced },
    { weight: 2, arbitrary: dropped },
    { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue()).map(([k, v]) => ({ json: { ...base, [k]: v } })) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => ({ json: v })) },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.string()).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constant({ json: base }) },
  );
}

function requestOf(target: Target) {
  const params = target.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => idValue().map((value) => [p.name, value] as const))),
    query: fc.subarray(queryParams).chain((chosen) => fc.tuple(...chosen.map((p) => fc.tuple(fc.constant(p.name), fc.array(queryValue, { minLength: 1, maxLength: 2 }))))),
    body: target.op.requestBody ? bodyOf(target.op) : fc.constant(undefined),
    caller: fc.oneof({ weight: 4, arbitrary: fc.constant('admin') }, fc.constantFrom('editor', 'reader', 'anonymous', 'unknown')),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'text/html', 'application/ld+json', 'application/json; charset=latin1')),
    ifMatch: fc.option(fc.oneof(fc.constant('"1"'), text), { nil: undefined }),
    idempotencyKey: fc.option(text, { nil: undefined }),
  });
}

function encoded(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined; // a lone surrogate cannot be put in a URL by a client either
  }
}

const sent = { requests: 0, refused: 0 };

test('the document lists operations to try', () => {
  expect(targets.length).toBeGreaterThan(40);
  expect(ids.length).toBeGreaterThan(10);
});

describe('every operation answers hostile input below 500, with a problem for each refusal', () => {
  test.each(targets.map((target) => [`${target.method.toUpperCase()} ${target.path}`, target] as const))('%s', async (_name, target) => {
    const { method, path, op } = target;
    await fc.assert(
      fc.asyncProperty(requestOf(target), async (r) => {
        let url = path;
        for (const [name, raw] of r.path) {
          const value = encoded(raw);
          if (value === undefined || value === '') return;
          url = url.replace(`{${name}}`, value);
        }
        const query = r.query.flatMap(([name, values]) => values.map((v) => [name, encoded(v)] as const));
        if (query.some(([, v]) => v === undefined)) return;
        if (query.length) url += `?${query.map(([n, v]) => `${n}=${v}`).join('&')}`;

        let req = (t.http as any)[method](url);
        if (keys[r.caller]) req = req.set('Authorization', `Bearer ${keys[r.caller]}`);
        // Headers carry what an HTTP client can put in them (Node's refuses anything past Latin-1).
        const sendable = (v: string | undefined): v is string => v !== undefined && /^[\x20-\xff]*$/.test(v);
        if (sendable(r.ifMatch)) req = req.set('If-Match', r.ifMatch);
        if (sendable(r.idempotencyKey)) req = req.set('Idempotency-Key', r.idempotencyKey);
        if (r.body?.raw !== undefined) req = req.set('Content-Type', r.contentType).send(r.body.raw);
        else if (r.body) req = req.set('Content-Type', r.contentType).send(JSON.stringify(r.body.json));
        const res = await req;

        sent.requests += 1;
        const said = `${method.toUpperCase()} ${url} as ${r.caller} (${r.contentType}) ${r.body ? JSON.stringify(r.body).slice(0, 300) : ''} -> ${res.status} ${String(res.text).slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`server error: ${said}`);
        if (res.status >= 400) {
          sent.refused += 1;
          if (!/application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`a refusal that is not a problem: ${said}`);
          if (res.body.status !== res.status || typeof res.body.title !== 'string') throw new Error(`a problem that does not name its status: ${said}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});

// Nothing half-done: whatever the run wrote, it wrote through the chain, which still verifies and replays to the tables.
test('after the run, the audit chain verifies and replaying it gives back every ledger table', async () => {
  expect(sent.requests).toBeGreaterThan(targets.length);
  expect(sent.requests - sent.refused).toBeGreaterThan(0);
  const verified = await t.http.get('/v1/audit/verify').set('Authorization', `Bearer ${ADMIN_KEY}`);
  expect(verified.body).toMatchObject({ ok: true, firstBadSeq: null });
  const { state, stats } = await replayToState(t.db.prisma);
  expect(stats.firstInconsistentSeq).toBeNull();
  expect(compareColumnByColumn(await liveState(t.db.prisma), state)).toEqual([]);
});

afterAll(() => console.log(`fuzz: ${JSON.stringify({ operations: targets.length, ...sent })}`));
