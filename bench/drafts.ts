/*
 * The draft check against the benchmark dataset (issue 12): a 250-sentence
 * draft, checked 20 times one after another by the service (as deployed:
 * src/main.ts, 192 MB heap), with the latency of each check and the
 * service's memory (RSS) while it works.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/drafts_bench npm run bench:drafts
 *
 * The database is the one bench/generate.ts builds; the draft-check
 * migration is applied by the service on start. A dataset loaded with
 * triggers off gets its draft vectors here, once, in one set-based pass.
 * The draft is drawn from the dataset itself (seeded): a third of its
 * sentences reword a claim (words shuffled, a reporting cue added), the rest
 * mix words of unrelated claims, as unrelated copy would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { connectPostgres } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { serviceMemoryFlags } from './memory-flags';
import { BENCH_URL_DEFAULT } from './url';
import { rng } from './vocabulary';

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SENTENCES = Number(process.env.BENCH_SENTENCES ?? 250);
const PORT = Number(process.env.BENCH_PORT ?? 3481);
const KEY = 'bench-drafts-admin-key-0000000000000001';
const root = path.resolve(__dirname, '..');

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/**
 * What the triggers would have written for a dataset loaded with them off:
 * each text's lexemes (draft_text), then each claim's draft vector as the
 * union of its texts' (what cp_draft_document computes), its index rebuilt
 * after, set-based, once.
 */
async function fill(client: pg.Client) {
  const texts = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "claim" c WHERE NOT EXISTS (SELECT 1 FROM "draft_text" d WHERE d."claim_id" = c."id" AND d."text_id" = c."id")`,
  );
  if (texts.rows[0]!.n > 0) {
    process.stdout.write(`analysing the texts of ${texts.rows[0]!.n} claims…\n`);
    await client.query(`INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
      SELECT c."id", c."id", "cp_draft_lexemes"(c."language", c."statement") FROM "claim" c ON CONFLICT DO NOTHING`);
    await client.query(`INSERT INTO "draft_text" ("claim_id", "text_id", "lexemes")
      SELECT a."claim_id", a."id", "cp_draft_lexemes"(coalesce(s."language", c."language"), a."quote")
      FROM "assertion" a JOIN "claim" c ON c."id" = a."claim_id" JOIN "source" s ON s."id" = a."source_id"
      WHERE a."withdrawn_at" IS NULL ON CONFLICT DO NOTHING`);
    await client.query('ANALYZE "draft_text"');
  }
  const vectors = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "claim" WHERE "draft_vector" IS NULL`);
  if (vectors.rows[0]!.n > 0) {
    process.stdout.write(`computing ${vectors.rows[0]!.n} draft vectors…\n`);
    await client.query('DROP INDEX IF EXISTS "claim_draft_vector_fts"');
    await client.query(`UPDATE "claim" c SET "draft_vector" = v.doc
      FROM (SELECT d."claim_id", array_to_tsvector(array_agg(DISTINCT l)) AS doc FROM "draft_text" d, unnest(d."lexemes") l GROUP BY d."claim_id") v
      WHERE v."claim_id" = c."id" AND c."draft_vector" IS NULL`);
    await client.query(`UPDATE "claim" SET "draft_vector" = ''::tsvector WHERE "draft_vector" IS NULL`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query('CREATE INDEX "claim_draft_vector_fts" ON "claim" USING GIN ("draft_vector")');
    await client.query('ANALYZE "claim"');
  }
}

async function prepare(): Promise<string> {
  const db = connectPostgres({ url, poolSize: 1 });
  await applyMigrations(db.sql);
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fill(client);
    const random = rng(7);
    const { rows } = await client.query<{ statement: string }>(
      `SELECT "statement" FROM "claim" TABLESAMPLE SYSTEM (0.1) REPEATABLE (7) LIMIT $1`,
      [SENTENCES * 2],
    );
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    const shuffle = <T>(xs: T[]) => xs.map((x) => [random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
    const sentences: string[] = [];
    for (let i = 0; i < SENTENCES; i += 1) {
      const own = words(rows[i % rows.length]!.statement);
      const other = words(rows[(i + SENTENCES) % rows.length]!.statement);
      const body = i % 3 === 0 ? [...shuffle(own), 'officials', 'said'] : shuffle([...own.slice(0, 3), ...other.slice(0, 6)]);
      const sentence = body.join(' ');
      sentences.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
    }
    return sentences.join(' ');
  } finally {
    await client.end();
  }
}

function startService(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      ADMIN_API_KEY: KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      NODE_OPTIONS: serviceMemoryFlags(process.env.BENCH_HEAP_MB ? Number(process.env.BENCH_HEAP_MB) : undefined).join(' '),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
    const poll = async () => {
      for (let i = 0; i < 600; i += 1) {
        try {
          if ((await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok) return resolve(child);
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      reject(new Error('the service did not become ready'));
    };
    void poll();
  });
}

async function check(text: string): Promise<{ ms: number; findings: number; sentences: number }> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${PORT}/v1/drafts/check`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text, language: 'en' }),
  });
  const body = (await res.json()) as { findings: unknown[]; sentences: number };
  if (res.status !== 200) throw new Error(`check answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, findings: body.findings.length, sentences: body.sentences };
}

async function main() {
  const draft = await prepare();
  const service = await startService();
  const pid = service.pid!;
  try {
    const idle = rssMb(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
    await check(draft);
    await check(draft);
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await check(draft));
    clearInterval(sampler);
    const ms = runs.map((r) => r.ms);
    const { sentences, findings } = runs[0]!;
    process.stdout.write(
      [
        `draft check: ${sentences} sentences, ${findings} findings, ${draft.length} characters; ${RUNS} runs after 2 warm-up runs`,
        `latency ms: p50 ${pct(ms, 50).toFixed(0)}, p95 ${pct(ms, 95).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}`,
        `service RSS MB: idle ${idle.toFixed(0)}, peak ${peak.toFixed(0)}`,
        '',
      ].join('\n'),
    );
  } finally {
    service.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
