/*
 * The FLOOR beside each scenario: what the same answer costs when it is
 * written with the best SQL we have, over bare node:http + pg (pool of the
 * same size). Each request is one named prepared statement whose result is
 * the JSON body, written by PostgreSQL byte for byte as the service writes it
 * (run.ts checks that before measuring). The dossier's one-line summary is
 * worded by the service's own attributedSummary, from what the statement
 * returns beside the body.
 *
 *   BENCH_DATABASE_URL=… FLOOR_PORT=3902 DATABASE_POOL_SIZE=10 tsx bench/floor.ts
 */
import http from 'node:http';
import pg from 'pg';
import { attributedSummary } from '../src/modules/claims/summary';
import { DOSSIER_SQL } from '../src/modules/claims/dossier-sql';
import { lookupPartiesJson, partyStatementsJson } from '../src/modules/parties/read-repository';
import type { PreparedRead } from '../src/db/client';
import { searchFloor } from './floor/search';
import { BENCH_URL_DEFAULT } from './url';

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const port = Number(process.env.FLOOR_PORT ?? 3902);
// Generic plans of these statements cross jit_above_cost; compiling then costs more than running.
const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Answer = { status: number; body: string };
const notFound: Answer = { status: 404, body: '{}' };

const read: PreparedRead = async (name, text, values) => (await pool.query({ name, text, values })).rows;

async function one(name: string, text: string, values: unknown[]): Promise<Record<string, string | null> | undefined> {
  return (await read<Record<string, string | null>>(name, text, values))[0];
}

async function dossier(id: string): Promise<Answer> {
  if (!UUID.test(id)) return notFound;
  const row = await one('floor-dossier', DOSSIER_SQL, [id.toLowerCase()]);
  if (!row?.body) return notFound;
  const s = JSON.parse(row.summary!) as { statement: string; language: string | null; positions: Parameters<typeof attributedSummary>[1]; countering: string[] };
  const line = JSON.stringify(attributedSummary(s.statement, s.positions, s.countering, s.language));
  return { status: 200, body: row.body.replace('"\\u0001"', () => line) };
}

async function statements(ref: string): Promise<Answer> {
  const body = await partyStatementsJson(read, ref, { limit: 50 });
  return body ? { status: 200, body } : notFound;
}

async function lookup(q: string): Promise<Answer> {
  return { status: 200, body: await lookupPartiesJson(read, q, { limit: 50 }) };
}

async function answer(target: URL): Promise<Answer> {
  const parts = target.pathname.split('/').map(decodeURIComponent);
  if (parts[2] === 'claims' && parts.length === 4) return dossier(parts[3]!);
  if (parts[2] === 'claims' && parts.length === 3) return { status: 200, body: await searchFloor(pool, target) };
  if (parts[2] === 'parties' && parts.length === 5 && parts[4] === 'statements') return statements(parts[3]!);
  const q = target.searchParams.get('q');
  if (parts[2] === 'parties' && parts.length === 3 && q) return lookup(q);
  return notFound;
}

const server = http.createServer((req, res) => {
  answer(new URL(req.url ?? '/', 'http://floor')).then(
    ({ status, body }) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body),
    (err: unknown) => res.writeHead(500).end(String(err)),
  );
});
server.listen(port, '127.0.0.1', () => console.log(`floor listening on ${port}`));
