/*
 * `npm run eval:drafts`: scores the draft check (SPEC §6) on the labelled
 * set in fixtures/draft-eval/. The ledger is the seed story, with the
 * parties' names in the set's languages added as aliases, and claims of its
 * own in Turkish, French, Spanish, German and Arabic (ledger.json). Each
 * labelled draft (sentences.json) holds one or two sentences with the
 * verdict each should get, or null for a sentence that must not be flagged.
 *
 *   npm run eval:drafts                    # on an embedded, in-memory PGlite
 *   DATABASE_URL=postgresql://… npm run eval:drafts   # on an EMPTY PostgreSQL database
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { connectPglite, connectPostgres, type Database } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import type { AppContext } from '../src/http/context';
import { checkDraft } from '../src/modules/drafts/service';
import { VERDICTS } from '../src/modules/drafts/schema';
import { readFixtures, type Fixtures } from '../src/seed/fixtures';
import { loadFixtures } from '../src/seed/load';
import { createLogger } from '../src/shared/logger';

const DIR = path.resolve(__dirname, '../fixtures/draft-eval');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as T;

type Ledger = { aliases: Record<string, string[]>; sources: Fixtures['sources']; claims: Fixtures['claims'] };
type Labelled = { language: string; text: string; expected: (string | null)[] };
export const NONE = 'none';
const LABELS = [...VERDICTS, NONE];

/** The seed story plus the set's own ledger. */
export async function loadEvalLedger(app: AppContext): Promise<void> {
  const seed = await readFixtures();
  const extra = read<Ledger>('ledger.json');
  const parties = seed.parties.map((p) => ({ ...p, aliases: [...(p.aliases ?? []), ...(extra.aliases[p.slug] ?? [])] }));
  await loadFixtures(app, { ...seed, parties, sources: [...seed.sources, ...extra.sources], claims: [...seed.claims, ...extra.claims] });
}

export type EvalRow = { language: string; sentence: string; expected: string; got: string };
export type EvalReport = {
  rows: EvalRow[];
  right: number;
  unrelated: number;
  falseFindings: EvalRow[];
  byLanguage: Record<string, { sentences: number; right: number; unrelated: number; falseFindings: number }>;
  matrix: Record<string, Record<string, number>>;
};

/** Checks every labelled draft and compares, sentence by sentence. */
export async function evaluateDrafts(app: AppContext): Promise<EvalReport> {
  const rows: EvalRow[] = [];
  for (const d of read<Labelled[]>('sentences.json')) {
    const result = await checkDraft(app, { text: d.text, language: d.language });
    if (result.sentences !== d.expected.length) throw new Error(`"${d.text}" splits into ${result.sentences} sentences, the set says ${d.expected.length}`);
    let sentence = 0;
    const bySentence = new Map<number, string>();
    // Findings are in text order, at most one per sentence: pair them with sentences by offset.
    const offsets = sentenceStarts(d.text, d.language);
    for (const f of result.findings) bySentence.set(offsets.findIndex((s, i) => f.start >= s && f.start < (offsets[i + 1] ?? Infinity)), f.verdict);
    for (const expected of d.expected) {
      rows.push({ language: d.language, sentence: d.text, expected: expected ?? NONE, got: bySentence.get(sentence) ?? NONE });
      sentence += 1;
    }
  }
  const matrix = Object.fromEntries(LABELS.map((e) => [e, Object.fromEntries(LABELS.map((g) => [g, 0]))]));
  const byLanguage: EvalReport['byLanguage'] = {};
  for (const r of rows) {
    matrix[r.expected]![r.got]! += 1;
    const l = (byLanguage[r.language] ??= { sentences: 0, right: 0, unrelated: 0, falseFindings: 0 });
    l.sentences += 1;
    if (r.expected === r.got) l.right += 1;
    if (r.expected === NONE) l.unrelated += 1;
    if (r.expected === NONE && r.got !== NONE) l.falseFindings += 1;
  }
  const falseFindings = rows.filter((r) => r.expected === NONE && r.got !== NONE);
  return { rows, right: rows.filter((r) => r.expected === r.got).length, unrelated: rows.filter((r) => r.expected === NONE).length, falseFindings, byLanguage, matrix };
}

function sentenceStarts(text: string, language: string): number[] {
  const out: number[] = [];
  for (const { segment, index } of new Intl.Segmenter(language, { granularity: 'sentence' }).segment(text)) {
    if (segment.trim()) out.push([...text.slice(0, index)].length);
  }
  return out;
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;

export function formatReport(r: EvalReport): string {
  const width = Math.max(...LABELS.map((l) => l.length)) + 2;
  const cell = (s: string | number) => String(s).padStart(width);
  const lines = [
    `draft check on the labelled set: ${r.rows.length} sentences, ${r.right} right verdicts (${pct(r.right, r.rows.length)})`,
    `unrelated sentences flagged: ${r.falseFindings.length} of ${r.unrelated} (${pct(r.falseFindings.length, r.unrelated)})`,
    '',
    'confusion matrix (rows: expected, columns: got)',
    `${''.padEnd(width)}${LABELS.map(cell).join('')}`,
    ...LABELS.map((e) => `${e.padEnd(width)}${LABELS.map((g) => cell(r.matrix[e]![g]!)).join('')}`),
    '',
    'by language',
    ...Object.entries(r.byLanguage).map(([l, s]) => `  ${l}: ${s.right}/${s.sentences} right (${pct(s.right, s.sentences)}), ${s.falseFindings}/${s.unrelated} unrelated flagged`),
    '',
    'false findings on unrelated sentences',
    ...(r.falseFindings.length ? r.falseFindings.map((f) => `  [${f.language}] ${f.sentence} → ${f.got}`) : ['  none']),
    '',
    'wrong verdicts',
    ...r.rows.filter((x) => x.expected !== x.got).map((x) => `  [${x.language}] ${x.sentence} — expected ${x.expected}, got ${x.got}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  const config = loadConfig();
  const db: Database = config.databaseUrl ? connectPostgres({ url: config.databaseUrl, poolSize: 4 }) : await connectPglite({});
  try {
    await applyMigrations(db.sql);
    const app: AppContext = { prisma: db.prisma, config, logger: createLogger('silent') };
    await loadEvalLedger(app);
    process.stdout.write(formatReport(await evaluateDrafts(app)));
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
