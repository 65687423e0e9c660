// Records real requests and responses drawn from the seed story as the
// examples of the OpenAPI document (fixtures/openapi-examples.json):
// writes are replayed from fixture data on an empty embedded database, reads
// are taken from a fully seeded one. The ids the writes made are then given
// as the seed's fixed ids of the same rows, so an example copied from /docs
// names what a seeded service holds (tests/openapi.test.ts checks that).
// Run after changing a response shape:
//   npm run openapi:examples
import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { allRoutes, createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPglite } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { ensureAdminKey } from '../src/modules/keys/service';
import { operationId } from '../src/openapi/document';
import { EXAMPLES_FILE } from '../src/openapi/examples';
import { readFixtures } from '../src/seed/fixtures';
import { loadFixtures } from '../src/seed/load';
import { createLogger } from '../src/shared/logger';

const KEY = 'example-admin-key-0000000000000000000000';
const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
type Example = { params?: Record<string, string>; request?: unknown; response?: unknown };

async function appOnFreshDb() {
  const db = await connectPglite({});
  await applyMigrations(db.sql);
  const config = { ...loadConfig({}), logLevel: 'silent' as const, rateLimitPerMinute: 0 };
  const ctx = { prisma: db.prisma, config, logger: createLogger('silent') };
  await ensureAdminKey(ctx, KEY);
  const http = request(createApp({ db, config, logger: ctx.logger }));
  const as = <T extends request.Test>(t: T) => t.set('Authorization', `Bearer ${KEY}`);
  return { db, ctx, get: (p: string) => as(http.get(p)), post: (p: string, body?: object) => as(http.post(p)).send(body) };
}

async function main() {
  const examples: Record<string, Example> = {};
  const f = await readFixtures();

  // Writes, in the order an editor would record the story's first claim.
  const w = await appOnFreshDb();
  const record = (id: string, request: unknown, res: request.Response) => {
    if (res.status >= 300) throw new Error(`${id}: ${res.status} ${res.text}`);
    examples[id] = { request, response: res.body };
    return res.body;
  };
  const [turkiye, fidan] = ['turkiye', 'hakan-fidan'].map((slug) => {
    const { slug: _s, id: _i, ...p } = f.parties.find((x) => x.slug === slug)!;
    return p;
  });
  const seedId = new Map<string, string>();
  const same = (fresh: string, seeded: string | undefined) => {
    if (!seeded) throw new Error(`the seed gives no fixed id for the row recorded as ${fresh}`);
    seedId.set(fresh, seeded);
  };
  const seedParty = (slug: string) => f.parties.find((x) => x.slug === slug)?.id;
  same(record('postParties', turkiye, await w.post('/v1/parties', turkiye)).id, seedParty('turkiye'));
  const person = (await w.post('/v1/parties', fidan)).body;
  same(person.id, seedParty('hakan-fidan'));
  const aff = { partyId: 'turkiye', role: 'Foreign Minister' };
  const affiliation = record('postPartiesIdAffiliations', aff, await w.post(`/v1/parties/${person.slug}/affiliations`, aff));
  same(affiliation.id, f.affiliations.find((a) => a.person === 'hakan-fidan' && a.party === 'turkiye' && a.role === aff.role)?.id);
  const { key: _k, publisher: _p, id: presserId, ...presser } = f.sources.find((s) => s.key === 'fidan-presser')!;
  const source = record('postSources', presser, await w.post('/v1/sources', presser));
  same(source.id, presserId);
  const fixtureClaim = f.claims.find((c) => c.id === CEASEFIRE)!;
  const { id: firstId, ...first } = fixtureClaim.assertions[0]!;
  const claimBody = {
    statement: fixtureClaim.statement,
    topics: fixtureClaim.topics,
    assertion: {
      partyId: 'turkiye', speakerId: 'hakan-fidan', sourceId: source.id, stance: first.stance,
      quote: first.quote, quoteKind: first.quoteKind, assertedAt: first.assertedAt, occasion: first.occasion,
    },
  };
  const claim = record('postClaims', claimBody, await w.post('/v1/claims', claimBody));
  same(claim.id, CEASEFIRE);
  same(claim.positions.affirms[0].assertionId, firstId);
  const keyBody = { name: 'Desk reader', role: 'READER' };
  const issued = await w.post('/v1/keys', keyBody);
  examples.postKeys = { request: keyBody, response: { ...issued.body, key: 'cp_…shown once…' } };
  await w.db.close();
  for (const id of ['postParties', 'postPartiesIdAffiliations', 'postSources', 'postClaims']) {
    let text = JSON.stringify(examples[id]);
    for (const [fresh, seeded] of seedId) text = text.replaceAll(fresh, seeded);
    examples[id] = JSON.parse(text) as Example;
  }

  // Reads, on the whole seed story.
  const r = await appOnFreshDb();
  await loadFixtures(r.ctx);
  const sourceId = (await r.get('/v1/sources?q=press conference')).body.data[0]?.id;
  const reads: Record<string, string> = {
    getClaimsId: `/v1/claims/${CEASEFIRE}`,
    getClaims: '/v1/claims?party=israel&limit=2',
    getClaimsIdGraph: `/v1/claims/${CEASEFIRE}/graph?depth=1`,
    getPartiesId: '/v1/parties/hakan-fidan',
    getParties: '/v1/parties?q=Turky&limit=2',
    getSourcesId: `/v1/sources/${sourceId}`,
    getAuditVerify: '/v1/audit/verify',
    getAuditHead: '/v1/audit/head',
  };
  for (const [id, path] of Object.entries(reads)) {
    const res = await r.get(path);
    if (res.status !== 200) throw new Error(`${id}: ${res.status} ${res.text}`);
    examples[id] = { response: res.body };
  }
  await r.db.close();

  // Path ids a reader can paste into "Try it out": a row of the seed for each kind of resource
  // (none for a claim's ClaimReview: the seed publishes no review).
  const pathId: [RegExp, string | undefined][] = [
    [/^\/v1\/claims\/:id\/claimreview$/, undefined],
    [/^\/v1\/claims\/:id/, CEASEFIRE],
    [/^\/v1\/parties\/:id\/affiliations$/, seedParty('hakan-fidan')],
    [/^\/v1\/parties\/:id/, f.parties.find((p) => p.slug === 'turkiye')?.id],
    [/^\/v1\/sources\/:id/, sourceId],
    [/^\/v1\/assertions\/:id/, firstId],
  ];
  for (const route of allRoutes) {
    const [, id] = pathId.find(([re]) => re.test(route.path)) ?? [];
    if (id) examples[operationId(route)] = { params: { id }, ...examples[operationId(route)] };
  }
  writeFileSync(EXAMPLES_FILE, `${JSON.stringify(examples, null, 2)}\n`);
  process.stdout.write(`wrote ${Object.keys(examples).length} examples to ${EXAMPLES_FILE}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
