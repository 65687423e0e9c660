// Records real requests and responses drawn from the seed story as the
// examples of the OpenAPI document (fixtures/openapi-examples.json):
// writes are replayed from fixture data on an empty embedded database, reads
// are taken from a fully seeded one. Run after changing a response shape:
//   npm run openapi:examples
import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPglite } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { ensureAdminKey } from '../src/modules/keys/service';
import { EXAMPLES_FILE } from '../src/openapi/examples';
import { readFixtures } from '../src/seed/fixtures';
import { loadFixtures } from '../src/seed/load';
import { createLogger } from '../src/shared/logger';

const KEY = 'example-admin-key-0000000000000000000000';
const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
type Example = { request?: unknown; response?: unknown };

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
    const { slug: _s, ...p } = f.parties.find((x) => x.slug === slug)!;
    return p;
  });
  record('postParties', turkiye, await w.post('/v1/parties', turkiye));
  const person = (await w.post('/v1/parties', fidan)).body;
  const aff = { partyId: 'turkiye', role: 'Foreign Minister' };
  record('postPartiesIdAffiliations', aff, await w.post(`/v1/parties/${person.slug}/affiliations`, aff));
  const { key: _k, publisher: _p, ...presser } = f.sources.find((s) => s.key === 'fidan-presser')!;
  const source = record('postSources', presser, await w.post('/v1/sources', presser));
  const fixtureClaim = f.claims.find((c) => c.id === CEASEFIRE)!;
  const first = fixtureClaim.assertions[0]!;
  const claimBody = {
    statement: fixtureClaim.statement,
    topics: fixtureClaim.topics,
    assertion: {
      partyId: 'turkiye', speakerId: 'hakan-fidan', sourceId: source.id, stance: first.stance,
      quote: first.quote, quoteKind: first.quoteKind, assertedAt: first.assertedAt, occasion: first.occasion,
    },
  };
  record('postClaims', claimBody, await w.post('/v1/claims', claimBody));
  const keyBody = { name: 'Desk reader', role: 'READER' };
  const issued = await w.post('/v1/keys', keyBody);
  examples.postKeys = { request: keyBody, response: { ...issued.body, key: 'cp_…shown once…' } };
  await w.db.close();

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
  writeFileSync(EXAMPLES_FILE, `${JSON.stringify(examples, null, 2)}\n`);
  process.stdout.write(`wrote ${Object.keys(examples).length} examples to ${EXAMPLES_FILE}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
