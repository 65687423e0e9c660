// 50 concurrent writes through the HTTP API, then the audit chain verified
// end to end: the figures issue 2 asks for. Against DATABASE_URL (a fresh
// database it creates next to the one named) or, without it, the embedded
// database in memory.
//   npm run bench:writes [-- --writers 50]
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPglite, connectPostgres, type Database } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { ensureAdminKey } from '../src/modules/keys/service';
import { createLogger } from '../src/shared/logger';
import { adminQuery, withDatabase } from '../tests/helpers/test-db';

const writers = Number(process.argv[process.argv.indexOf('--writers') + 1]) || 50;
const KEY = 'bench-admin-key-00000000000000000000000';

async function database(): Promise<{ db: Database; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await connectPglite({});
    return { db, drop: () => db.close() };
  }
  const name = `cp_bench_writes_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${name}"`);
  const db = connectPostgres({ url: withDatabase(url, name), poolSize: 10 });
  return {
    db,
    drop: async () => {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function main() {
  const { db, drop } = await database();
  try {
    await applyMigrations(db.sql);
    const config = { ...loadConfig({}), logLevel: 'silent' as const, rateLimitPerMinute: 0, poolSize: 10 };
    const ctx = { prisma: db.prisma, config, logger: createLogger('silent') };
    await ensureAdminKey(ctx, KEY);
    const http = request(createApp({ db, config, logger: ctx.logger }));
    const post = (path: string, body: object) => http.post(path).set('Authorization', `Bearer ${KEY}`).send(body);

    // One claim that every writer adds a stance to, so they all contend for the same rows and the chain head.
    const party = (await post('/v1/parties', { name: 'Bench State', kind: 'STATE' })).body;
    const source = (await post('/v1/sources', { kind: 'ARTICLE', title: 'Bench', text: 'It was said that the bench holds.' })).body;
    const claim = (await post('/v1/claims', {
      statement: 'The bench holds',
      assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'the bench holds', quoteKind: 'INDIRECT' },
    })).body;
    const headBefore = (await http.get('/v1/audit/head').set('Authorization', `Bearer ${KEY}`)).body.seq as number;

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        i % 2 === 0
          ? post('/v1/parties', { name: `Writer party ${i}`, kind: 'ORGANIZATION' })
          : post(`/v1/claims/${claim.id}/assertions`, {
              partyId: party.id, sourceId: source.id, stance: i % 4 === 1 ? 'DENIES' : 'QUESTIONS', quote: 'the bench holds', quoteKind: 'INDIRECT',
            }),
      ),
    );
    const elapsed = performance.now() - started;
    const ok = results.filter((r) => r.status === 201).length;

    const verifyStart = performance.now();
    const verify = (await http.get('/v1/audit/verify').set('Authorization', `Bearer ${KEY}`)).body;
    const verifyMs = performance.now() - verifyStart;
    const seqs = (await db.sql.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_event ORDER BY audit_event.seq')).map((r) => Number(r.seq));
    const gapFree = seqs.every((s, i) => s === i + 1);

    console.log(`database: ${db.kind}`);
    console.log(`${writers} concurrent writes: ${ok} succeeded in ${elapsed.toFixed(0)} ms (${((ok / elapsed) * 1000).toFixed(0)} writes/s)`);
    console.log(`audit events added: ${seqs.length - headBefore} (seq ${headBefore + 1}..${seqs.length}), gap-free: ${gapFree}`);
    console.log(`verify: ${JSON.stringify(verify)} in ${verifyMs.toFixed(0)} ms`);
    if (ok !== writers || !verify.ok || !gapFree) process.exitCode = 1;
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
