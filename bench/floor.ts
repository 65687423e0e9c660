/*
 * The FLOOR beside each scenario: a bare node:http + pg server that sends the
 * same SQL as the service, over a pool of the same size, and answers the same
 * JSON. At start it runs each scenario once through the real application
 * (createApp) with pg's Client.query wrapped, recording every statement and
 * its parameters and the response body; under load it replays those
 * statements in order and serialises the recorded body. What separates the
 * service from this floor is therefore Express, validation, Prisma and the
 * presenters: the framework's own cost.
 *
 *   BENCH_DATABASE_URL=… FLOOR_PORT=3902 DATABASE_POOL_SIZE=10 tsx bench/floor.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPostgres } from '../src/db/client';
import { createLogger } from '../src/shared/logger';
import { BENCH_URL_DEFAULT } from './url';
import { loadDataset, scenarios } from './scenarios';

type Recorded = { sql: { text: string; values?: unknown[] }[]; status: number; body: unknown };

const url = process.env.BENCH_DATABASE_URL ?? BENCH_URL_DEFAULT;
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const port = Number(process.env.FLOOR_PORT ?? 3902);

let capture: Recorded['sql'] | null = null;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  if (capture) {
    const [first, second] = args;
    if (typeof first === 'string') capture.push({ text: first, values: Array.isArray(second) ? second : undefined });
    else if (first && typeof first === 'object' && 'text' in first) {
      const cfg = first as { text: string; values?: unknown[] };
      capture.push({ text: cfg.text, values: cfg.values });
    }
  }
  return query.apply(this, args);
};

async function record(): Promise<Map<string, Recorded>> {
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: url, PUBLIC_READ: 'true', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' }), poolSize };
  const db = connectPostgres({ url, poolSize });
  const app = createApp({ db, config, logger: createLogger('silent') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = new Map<string, Recorded>();
  for (const s of scenarios(loadDataset())) {
    await fetch(base + s.path); // warm the plan cache before recording
    capture = [];
    const res = await fetch(base + s.path);
    const body: unknown = await res.json();
    out.set(s.path, { sql: capture, status: res.status, body });
    capture = null;
    console.log(`recorded ${s.path}: ${res.status}, ${out.get(s.path)!.sql.length} statements`);
  }
  server.close();
  await db.close();
  return out;
}

async function main() {
  const recorded = await record();
  (pg.Client.prototype as unknown as { query: unknown }).query = query;
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const server = http.createServer(async (req, res) => {
    const r = recorded.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    try {
      for (const s of r.sql) await pool.query(s.text, s.values);
      const body = JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(port, '127.0.0.1', () => console.log(`floor listening on ${port}`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
