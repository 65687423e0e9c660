/*
 * Presents every stale search hit (claim_hit) of the database at
 * DATABASE_URL: after a bulk load, or after the migration that introduced
 * them. The service keeps them fresh afterwards; until then a stale hit is
 * presented on each request. `--workers n` runs n connections side by side.
 *
 *   DATABASE_URL=postgresql://… npm run hits:refresh -- --workers 2
 */
import { connectPostgres } from '../src/db/client';
import { refreshAllStaleHits } from '../src/modules/claims/hits';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const i = process.argv.indexOf('--workers');
  const workers = i > 0 ? Number(process.argv[i + 1]) : 1;
  const db = connectPostgres({ url, poolSize: workers });
  const started = Date.now();
  const done = Array<number>(workers).fill(0);
  const report = setInterval(() => console.log(`${done.reduce((a, b) => a + b, 0)} hits (${Math.round((Date.now() - started) / 1000)} s)`), 10_000);
  try {
    await Promise.all(done.map((_, w) => refreshAllStaleHits(db.prisma, { part: [w, workers], onProgress: (n) => (done[w] = n) })));
  } finally {
    clearInterval(report);
    await db.close();
  }
  console.log(`${done.reduce((a, b) => a + b, 0)} hits presented in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
