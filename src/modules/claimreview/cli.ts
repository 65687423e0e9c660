import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { currentHolder } from '../../db/data-dir-lock';
import { openDatabase } from '../../db/open';
import type { AppContext, Caller } from '../../http/context';
import { createLogger } from '../../shared/logger';
import { uuidv7 } from '../../shared/uuid';
import { serviceCaller } from '../actors/service';
import { extractFromHtml, extractFromJsonText, type Extraction } from './jsonld';
import { importViaServer } from './remote-import';
import { importClaimReviews, type ImportReport, type ItemReport } from './service';

/*
 * `npm run import -- <files or folders>`: imports ClaimReview JSON-LD
 * (.json, .jsonld) and HTML pages (.html, .htm) into DATABASE_URL, or the
 * embedded database, exactly as POST /v1/imports/claimreview does.
 */
const ACTOR = 'ClaimReview importer (command line)';
const JSON_EXT = new Set(['.json', '.jsonld']);
const HTML_EXT = new Set(['.html', '.htm']);

async function filesIn(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => e.isDirectory() || JSON_EXT.has(path.extname(e.name).toLowerCase()) || HTML_EXT.has(path.extname(e.name).toLowerCase()))
      .map((e) => filesIn(path.join(target, e.name))),
  );
  return nested.flat().sort();
}

async function extractFile(file: string): Promise<Extraction> {
  const text = await readFile(file, 'utf8');
  if (HTML_EXT.has(path.extname(file).toLowerCase())) return extractFromHtml(text, null, file);
  try {
    return await extractFromJsonText(text, null, file);
  } catch (err) {
    return { items: [], problems: [{ at: file, reason: `not valid JSON: ${(err as Error).message}` }] };
  }
}

function importerCaller(app: AppContext): Promise<Caller> {
  return serviceCaller(app, ACTOR, 'REVIEWER', `import-${uuidv7()}`);
}

function progress(done: number, total: number, label: string) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`);
  if (done === total) process.stderr.write('\n');
}

async function main() {
  const targets = process.argv.slice(2).filter((a) => a !== '--');
  if (targets.length === 0) {
    process.stderr.write('usage: npm run import -- <ClaimReview .json/.jsonld/.html files or folders>\n');
    process.exit(2);
  }
  const files = (await Promise.all(targets.map(filesIn))).flat();
  const extractions = await Promise.all(files.map(async (file) => ({ file, extraction: await extractFile(file) })));
  const total = extractions.reduce((n, e) => n + e.extraction.items.length, 0);

  const config = loadConfig();
  const server = config.databaseUrl ? undefined : currentHolder(config.dataDir);
  if (server?.url) {
    process.stdout.write(`${config.dataDir} is held by the server at ${server.url} (pid ${server.pid}): importing through it\n`);
    const all: ItemReport[] = [];
    for (const { file } of extractions) {
      const report = await importViaServer(config, { ...server, url: server.url }, file);
      all.push(...report.items);
      printFileSummary(file, report);
    }
    return printTotals(files.length, all);
  }
  const logger = createLogger(config.logLevel === 'info' ? 'error' : config.logLevel);
  const { db } = await openDatabase(config, logger);
  const app: AppContext = { prisma: db.prisma, config, logger };
  const all: ItemReport[] = [];
  try {
    const caller = await importerCaller(app);
    let done = 0;
    progress(0, total, '');
    for (const { file, extraction } of extractions) {
      const report = await importClaimReviews(app, caller, extraction, (_i, _n, item) => progress((done += 1), total, `${path.basename(file)}: ${item.status}`));
      all.push(...report.items);
      printFileSummary(file, report);
    }
  } finally {
    await db.close();
  }
  printTotals(files.length, all);
}

function printFileSummary(file: string, report: ImportReport) {
  const s = report.summary;
  process.stdout.write(`${file}: ${s.found} found, ${s.imported} imported, ${s.duplicate} duplicate, ${s.rejected} rejected\n`);
}

function printTotals(files: number, all: ItemReport[]) {
  for (const item of all) if (item.status === 'rejected') process.stdout.write(`  rejected ${item.at}: ${item.reason}\n`);
  const count = (s: ItemReport['status']) => all.filter((i) => i.status === s).length;
  process.stdout.write(`import: ${files} file(s), ${count('imported')} imported, ${count('duplicate')} duplicate, ${count('rejected')} rejected\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`import failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
