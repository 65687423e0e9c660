/*
 * EXPLAIN (ANALYZE, BUFFERS) of the statements the dossier, party-statements
 * and party-lookup scenarios run (floor and service alike), each prepared and
 * executed six times first so that the plan shown is the generic one a pooled
 * connection reuses; jit off, as on the pool. SHOW_SQL=1 prints each statement.
 *
 *   BENCH_DATABASE_URL=… tsx bench/explain.ts [dossier|lookup|statements]
 */
import pg from 'pg';
import type { PreparedRead } from '../src/db/client';
import { DOSSIER_SQL } from '../src/modules/claims/dossier-sql';
import { lookupPartiesJson, partyStatementsJson } from '../src/modules/parties/read-repository';
import { loadDataset } from './scenarios';
import { BENCH_URL_DEFAULT } from './url';

const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT, max: 1, options: '-c jit=off' });

async function explain(name: string, text: string, values: unknown[]) {
  const c = await pool.connect();
  try {
    await c.query(`PREPARE p AS ${text}`);
    const args = values.map((v) => c.escapeLiteral(String(v))).join(',');
    for (let i = 0; i < 6; i += 1) await c.query(`EXECUTE p(${args})`);
    const plan = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE p(${args})`);
    if (process.env.SHOW_SQL) console.log(text, values);
    console.log(`--- ${name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    await c.query('DEALLOCATE p');
  } finally {
    c.release();
  }
}

async function main() {
  const d = loadDataset();
  const which = process.argv[2];
  const captured: [string, string, unknown[]][] = [['dossier', DOSSIER_SQL, [d.dossierClaim]]];
  const capture: PreparedRead = async (name, text, values) => {
    captured.push([name, text, values]);
    return [{ body: '' }] as never[];
  };
  await lookupPartiesJson(capture, d.misspelled, { limit: 50 });
  await partyStatementsJson(capture, d.statementsParty, { limit: 50 });
  for (const [name, text, values] of captured) if (!which || name.includes(which)) await explain(name, text, values);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
