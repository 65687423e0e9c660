/*
 * Builds the benchmark database: a deterministic dataset (default 1,000,000
 * claims, 3,000,000 assertions, 20,000 parties, 200,000 sources) streamed
 * with COPY into a dedicated database on the local PostgreSQL.
 *
 *   BENCH_CLAIMS=1000000 BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cp_bench tsx bench/generate.ts
 *
 * Rows are produced one claim at a time and written to the COPY streams with
 * back-pressure, so memory stays flat whatever the size. Triggers are off
 * while loading (session_replication_role = replica), so bulk-loaded rows have
 * no audit events; the search columns the triggers would keep are computed
 * in one set-based pass, and the secondary indexes are built after the load.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { refreshAllStaleHits, refreshHitsOf } from '../src/modules/claims/hits';
import { from as copyFrom } from 'pg-copy-streams';
import { connectPostgres } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { currentPositions, deriveContestation } from '../src/modules/claims/positions';
import { BENCH_URL_DEFAULT } from './url';
import { FIRST_NAMES, LAST_NAMES, STATES, buildVocabulary, rng, zipf } from './vocabulary';

const BENCH_URL = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1_000_000);
// `all`: every claim's search hit presented (~70 claims/s: hours at 1,000,000); `searched`: only the claims the
// search scenarios match, the rest left stale as after any bulk load (presented on request, the slow way).
const HITS = process.env.BENCH_HITS ?? 'all';
if (HITS !== 'all' && HITS !== 'searched') throw new Error(`BENCH_HITS is all or searched, not ${HITS}`);
const scale = CLAIMS / 1_000_000;
const PARTIES = Math.max(2_000, Math.round(20_000 * scale));
const SOURCES = Math.max(5_000, Math.round(200_000 * scale));
const VOCABULARY = 30_000;
const TOPICS = ['ceasefire-violations', 'hostage-remains', 'humanitarian-aid', 'stabilisation-force', 'palestinian-statehood', 'genocide-allegation', 'sanctions', 'elections', 'energy', 'refugees', 'reconstruction', 'diplomacy'];
const STANCES = ['AFFIRMS', 'AFFIRMS', 'AFFIRMS', 'AFFIRMS', 'AFFIRMS', 'AFFIRMS', 'DENIES', 'DENIES', 'QUESTIONS', 'RETRACTS'] as const;
const PHRASE = 'rafah crossing';
const START = Date.UTC(2015, 0, 1);
const SPAN = Date.UTC(2026, 0, 1) - START;

const random = rng(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const vocab = buildVocabulary(VOCABULARY);
const word = zipf(VOCABULARY, 1.0, random);
const partyRank = zipf(PARTIES, 0.8, random);
const topicRank = zipf(TOPICS.length, 1.0, random);

/** A UUID v7 from a time and a sequence number: ids sort by creation like the service's own. */
function uuid7(ms: number, seq: number, tag: number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const s = seq.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${tag.toString(16).padStart(3, '0')}-8000-${s}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const copyText = (v: string | number | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));
const row = (...vs: (string | number | null)[]) => `${vs.map(copyText).join('\t')}\n`;
const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/"/g, '\\"')}"`).join(',')}}`;

function words(min: number, max: number): string {
  const n = min + Math.floor(random() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push(vocab[word()]!);
  return out.join(' ');
}

/** A COPY stream with batching and back-pressure. */
class Copy {
  private buffer: string[] = [];
  private constructor(private stream: Writable) {}
  static async open(client: pg.PoolClient, sql: string) {
    return new Copy(client.query(copyFrom(sql)));
  }
  async push(line: string) {
    this.buffer.push(line);
    if (this.buffer.length >= 2000) await this.flush();
  }
  private async flush() {
    if (this.buffer.length === 0) return;
    const ok = this.stream.write(this.buffer.join(''));
    this.buffer = [];
    if (!ok) await once(this.stream, 'drain');
  }
  async end() {
    await this.flush();
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
  }
}

async function recreateDatabase() {
  const admin = new pg.Client({ connectionString: BENCH_URL.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
  await admin.connect();
  const name = new URL(BENCH_URL).pathname.slice(1);
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const db = connectPostgres({ url: BENCH_URL, poolSize: 1 });
  await applyMigrations(db.sql);
  await db.close();
}

type Party = { id: string; slug: string; name: string; kind: string; aliases: string[] };

function makeParties(): Party[] {
  const parties: Party[] = [];
  const slugs = new Set<string>();
  const add = (name: string, kind: string, aliases: string[] = []) => {
    let slug = name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'party';
    if (slugs.has(slug)) slug = `${slug}-${parties.length}`;
    slugs.add(slug);
    parties.push({ id: uuid7(START, parties.length, 1), slug, name, kind, aliases });
  };
  for (const s of STATES) {
    const [name, aliases] = s.split('|');
    add(name!, 'STATE', aliases ? aliases.split(',') : []);
  }
  add('Hakan Fidan', 'PERSON');
  while (parties.length < PARTIES) {
    const r = random();
    if (r < 0.6) add(`${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`, 'PERSON');
    else if (r < 0.75) add(`Ministry of ${pick(['Foreign Affairs', 'Defence', 'Health', 'Interior'])} of ${pick(STATES).split('|')[0]}`, 'GOVERNMENT_BODY');
    else if (r < 0.85) add(`${pick(LAST_NAMES)} ${pick(['News', 'Times', 'Post', 'Haber', 'Gazetesi'])}`, 'MEDIA');
    else if (r < 0.93) add(`${vocab[100 + Math.floor(random() * 2000)]} ${pick(['Movement', 'Party', 'Front', 'Coalition'])}`, 'POLITICAL_PARTY');
    else add(`${vocab[100 + Math.floor(random() * 2000)]} ${pick(['Foundation', 'Watch', 'Institute', 'Council'])}`, 'ORGANIZATION');
  }
  return parties;
}

async function main() {
  const started = Date.now();
  console.log(`generating ${CLAIMS} claims, ~${CLAIMS * 3} assertions, ${PARTIES} parties, ${SOURCES} sources into ${BENCH_URL}`);
  await recreateDatabase();
  const pool = new pg.Pool({ connectionString: BENCH_URL, max: 4 });
  const loader = await pool.connect();
  const quotes = await pool.connect();
  for (const c of [loader, quotes]) await c.query(`SET session_replication_role = replica; SET maintenance_work_mem = '1GB'`);

  // Secondary indexes are dropped for the load and rebuilt after it.
  const indexes = (
    await loader.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = 'public' AND tablename IN ('claim', 'assertion', 'claim_relation', 'claim_subject', 'source')
         AND indexname NOT LIKE '%_pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
    )
  ).rows;
  for (const i of indexes) await loader.query(`DROP INDEX "${i.name}"`);

  const parties = makeParties();
  const states = parties.filter((p) => p.kind !== 'PERSON');
  const people = parties.filter((p) => p.kind === 'PERSON');
  let copy = await Copy.open(loader, 'COPY party (id, slug, name, kind, aliases, created_at, updated_at) FROM STDIN');
  for (const p of parties) await copy.push(row(p.id, p.slug, p.name, p.kind, pgArray(p.aliases), iso(START), iso(START)));
  await copy.end();
  copy = await Copy.open(loader, 'COPY affiliation (id, person_id, party_id, role) FROM STDIN');
  let n = 0;
  for (const person of people) {
    // People speak for the parties journalists look up most (the Zipf head).
    const party = person.name === 'Hakan Fidan' ? parties[0]! : states[Math.min(states.length - 1, Math.floor(partyRank() / 3))]!;
    await copy.push(row(uuid7(START, (n += 1), 2), person.id, party.id, pick(['Foreign Minister', 'Spokesperson', 'Ambassador', 'Member'])));
  }
  await copy.end();

  copy = await Copy.open(loader, 'COPY source (id, kind, title, url, publisher_id, published_at, language, created_at) FROM STDIN');
  const sourceIds: string[] = [];
  for (let i = 0; i < SOURCES; i += 1) {
    const at = START + (SPAN * i) / SOURCES;
    const id = uuid7(at, i, 3);
    sourceIds.push(id);
    const publisher = parties[partyRank()]!;
    await copy.push(row(id, pick(['ARTICLE', 'PRESS_CONFERENCE', 'OFFICIAL_STATEMENT', 'SOCIAL_POST', 'TRANSCRIPT']), `${words(3, 8)}`, `https://bench.example/${i}`, publisher.id, iso(at), pick(['en', 'tr', 'ar']), iso(at)));
  }
  await copy.end();

  // Claims go to an unlogged staging table with their quotes; the search
  // document is computed on the way into `claim` (two workers, one per core).
  await loader.query(`CREATE UNLOGGED TABLE claim_stage (id uuid, statement text, topics text[], contestation "Contestation", created_at timestamptz, last_asserted_at timestamptz, quotes text)`);
  const claims = await Copy.open(loader, 'COPY claim_stage FROM STDIN');
  const assertions = await Copy.open(quotes, 'COPY assertion (id, claim_id, party_id, speaker_id, source_id, stance, quote, quote_kind, asserted_at, asserted_at_precision, created_at) FROM STDIN');
  const third = await pool.connect();
  await third.query('SET session_replication_role = replica');
  const subjects = await Copy.open(third, 'COPY claim_subject (claim_id, party_id) FROM STDIN');
  let assertionSeq = 0;
  const sample: { id: string; party: string }[] = [];
  for (let i = 0; i < CLAIMS; i += 1) {
    const created = START + (SPAN * i) / CLAIMS;
    const id = uuid7(created, i, 4);
    const statement = words(6, 14);
    const topics = [...new Set([TOPICS[topicRank()]!, ...(random() < 0.3 ? [TOPICS[topicRank()]!] : [])])];
    const count = 1 + Math.floor(random() * 5); // 1..5, mean 3
    const rows: { id: string; partyId: string; stance: (typeof STANCES)[number]; assertedAt: Date; createdAt: Date; withdrawnAt: null; quote: string }[] = [];
    for (let k = 0; k < count; k += 1) {
      const createdAt = created + k * 3_600_000 * random() * 48;
      const assertedAt = createdAt - random() * 86_400_000 * 2;
      const party = parties[partyRank()]!;
      const quote = random() < 0.003 ? `${words(3, 10)} ${PHRASE} ${words(3, 10)}` : words(8, 25);
      const aid = uuid7(createdAt, (assertionSeq += 1), 5);
      rows.push({ id: aid, partyId: party.id, stance: k === 0 ? 'AFFIRMS' : pick(STANCES), assertedAt: new Date(assertedAt), createdAt: new Date(createdAt), withdrawnAt: null, quote });
      const speaker = random() < 0.4 ? people[Math.floor(random() * people.length)]!.id : null;
      await assertions.push(row(aid, id, party.id, speaker, sourceIds[Math.floor(random() * SOURCES)]!, rows[k]!.stance, quote, random() < 0.5 ? 'DIRECT' : 'INDIRECT', iso(assertedAt), 'INSTANT', iso(createdAt)));
    }
    const contestation = deriveContestation(currentPositions(rows), 0);
    const last = Math.max(...rows.map((r) => r.assertedAt.getTime()));
    await claims.push(row(id, statement, pgArray(topics), contestation, iso(created), iso(last), rows.map((r) => r.quote).join(' the the the ')));
    if (random() < 0.5) await subjects.push(row(id, states[Math.floor(random() * Math.min(40, states.length))]!.id));
    if (i % 997 === 0 && sample.length < 2000) sample.push({ id, party: rows[0]!.partyId });
    if (i % 100_000 === 0) console.log(`  ${i} claims (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await Promise.all([claims.end(), assertions.end(), subjects.end()]);
  console.log(`rows streamed in ${Math.round((Date.now() - started) / 1000)} s; computing search documents`);

  const mid = uuid7(START + SPAN / 2, 0, 0);
  const insert = (client: pg.PoolClient, cond: string) =>
    client.query(`INSERT INTO claim (id, statement, topics, contestation, created_at, updated_at, last_asserted_at)
      SELECT id, statement, topics, contestation, created_at, created_at, last_asserted_at FROM claim_stage WHERE ${cond}`);
  // The search documents are computed once the indexes they read (assertion by claim) exist: see below.
  await Promise.all([insert(loader, `id < '${mid}'`), insert(quotes, `id >= '${mid}'`)]);
  await loader.query('DROP TABLE claim_stage');

  // Relations for the graph: counter-claims between claims near in time.
  copy = await Copy.open(loader, 'COPY claim_relation (id, source_claim_id, target_claim_id, type, basis, created_at) FROM STDIN');
  const seen = new Set<string>();
  for (let i = 0; i < CLAIMS / 10; i += 1) {
    const a = Math.floor(random() * CLAIMS);
    const b = Math.min(CLAIMS - 1, a + 1 + Math.floor(random() * 50));
    const key = `${a}:${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const idA = uuid7(START + (SPAN * a) / CLAIMS, a, 4);
    const idB = uuid7(START + (SPAN * b) / CLAIMS, b, 4);
    await copy.push(row(uuid7(START + (SPAN * b) / CLAIMS, i, 6), idB, idA, pick(['COUNTERS', 'SUPPORTS', 'CONTRADICTS', 'QUALIFIES']), 'EDITORIAL', iso(START + (SPAN * b) / CLAIMS)));
  }
  await copy.end();
  const loaded = Date.now();
  console.log(`loaded in ${Math.round((loaded - started) / 1000)} s; building ${indexes.length} indexes`);

  await loader.query(`RESET session_replication_role`);
  // The trigger folds names and aliases; the one that refreshes each party's claims waits for the documents below.
  await loader.query(`ALTER TABLE party DISABLE TRIGGER party_claim_search`);
  await loader.query(`UPDATE party SET search_text = ''`);
  await loader.query(`ALTER TABLE party ENABLE TRIGGER party_claim_search`);
  // Two index builds at a time, one per core; the search index after the documents it indexes.
  const searchIndex = indexes.filter((i) => i.name === 'claim_search_vector_fts');
  const build = async (queue: typeof indexes) => {
    const worker = async (c: pg.PoolClient) => {
      await c.query(`SET maintenance_work_mem = '1GB'`);
      for (let i = queue.shift(); i; i = queue.shift()) await c.query(i.def);
    };
    await Promise.all([worker(loader), worker(quotes)]);
  };
  await build(indexes.filter((i) => !searchIndex.includes(i)));
  // Without statistics the planner walks a (party_id, claim_id) index to find a claim's assertions.
  await loader.query('ANALYZE assertion, party, source');
  // Each claim's document exactly as the triggers write it (cp_claim_document: statement, names, quotes, each in its language).
  const documents = (client: pg.PoolClient, cond: string) =>
    client.query(`UPDATE claim SET search_vector = cp_claim_document(id, statement, language) WHERE ${cond}`);
  await Promise.all([documents(loader, `id < '${mid}'`), documents(quotes, `id >= '${mid}'`)]);
  console.log(`search documents in ${Math.round((Date.now() - loaded) / 1000)} s`);
  await build([...searchIndex]);
  // Each claim's search hit (claim_hit), presented by the service's own code: bulk-loaded claims have none yet.
  await loader.query('INSERT INTO claim_hit (claim_id) SELECT id FROM claim ON CONFLICT DO NOTHING');
  const service = connectPostgres({ url: BENCH_URL, poolSize: 2 });
  if (HITS === 'all') await Promise.all([0, 1].map((w) => refreshAllStaleHits(service.prisma, { part: [w, 2] })));
  await loader.query('VACUUM ANALYZE');

  // The scenario parameters: a claim with relations, a mid-sized party with members, words by frequency.
  const [busy] = (await loader.query<{ id: string; slug: string; n: number }>(
    `SELECT p.id, p.slug, count(*)::int AS n FROM party p JOIN assertion a ON a.party_id = p.id
     WHERE p.kind <> 'PERSON' GROUP BY p.id HAVING count(*) BETWEEN 1000 AND 3000 ORDER BY count(*) DESC LIMIT 1`,
  )).rows;
  const [member] = (await loader.query<{ slug: string }>(
    `SELECT p.slug FROM party p JOIN affiliation f ON f.party_id = p.id GROUP BY p.id ORDER BY count(*) DESC OFFSET 5 LIMIT 1`,
  )).rows;
  const [graph] = (await loader.query<{ id: string }>(`SELECT target_claim_id AS id FROM claim_relation GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
  const rare = vocab[VOCABULARY - 2000]!;
  if (HITS === 'searched') await presentSearched(loader, service, rare, busy?.id);
  await service.close();
  console.log(`search hits (${HITS}) in ${Math.round((Date.now() - loaded) / 1000)} s`);
  const finished = Date.now();
  const dataset = {
    claims: CLAIMS,
    parties: PARTIES,
    sources: SOURCES,
    assertions: assertionSeq,
    streamSeconds: Math.round((loaded - started) / 1000),
    totalSeconds: Math.round((finished - started) / 1000),
    dossierClaim: graph?.id ?? sample[0]!.id,
    commonWord: 'gaza',
    commonParty: busy?.slug,
    commonPartyAssertions: busy?.n,
    rareWord: rare,
    phrase: PHRASE,
    statementsParty: member?.slug,
    misspelled: 'Hakan Fiden',
  };
  await writeFile(path.join(__dirname, '.dataset.json'), `${JSON.stringify(dataset, null, 2)}\n`);
  console.log(dataset);
  loader.release();
  quotes.release();
  third.release();
  await pool.end();
}

/** The hits of the claims the search scenarios match (the common word's within its party), presented by the service's code. */
async function presentSearched(client: pg.PoolClient, service: ReturnType<typeof connectPostgres>, rare: string, partyId: string | undefined) {
  const matching = async (q: string, cond = 'TRUE', params: unknown[] = []) =>
    (await client.query<{ id: string }>(
      `SELECT c.id::text AS id FROM claim c, cp_search_queries($1) qq WHERE c.search_vector @@ qq.match AND ${cond}`,
      [q, ...params],
    )).rows.map((r) => r.id);
  const ids = new Set([
    ...(await matching(rare)),
    ...(await matching(`"${PHRASE}"`)),
    ...(partyId ? await matching('gaza', `c.id IN (SELECT claim_id FROM assertion WHERE party_id = $2 AND withdrawn_at IS NULL)`, [partyId]) : []),
  ]);
  const list = [...ids];
  const half = Math.ceil(list.length / 2);
  await Promise.all([list.slice(0, half), list.slice(half)].map((part) => refreshHitsOf(service.prisma, part)));
  await client.query('VACUUM ANALYZE claim_hit');
  console.log(`presented the ${list.length} hits the searches match`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
