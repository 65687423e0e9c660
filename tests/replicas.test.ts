import pg from 'pg';
import request from 'supertest';
import { setTimeout as pause } from 'node:timers/promises';
import { createApp } from '../src/app';
import { connectPostgres, type Database } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import type { AppContext } from '../src/http/context';
import { ensureAdminKey } from '../src/modules/keys/service';
import { createLogger } from '../src/shared/logger';
import { freePorts, havePostgresBinaries, makeReplicatedCluster, type Cluster } from '../scripts/lib/pg-cluster';
import { ADMIN_KEY, testConfig } from './helpers/app';
import { eventually } from './helpers/eventually';
import { parseMetrics, valueOf } from './helpers/prometheus';

/*
 * Read replicas on a real streaming replica (issue 14): a primary made by
 * initdb and a replica by `pg_basebackup -R`, on ports the kernel finds free
 * (two runs of the suite on one machine do not collide). Where each
 * statement ran is counted at each server by pg_stat_statements.
 */

const skip = !havePostgresBinaries() ? 'the PostgreSQL server binaries are absent' : !process.env.DATABASE_URL ? 'runs once, in the PostgreSQL pass (DATABASE_URL)' : undefined;
const describeReplicas = skip ? describe.skip : describe;
if (skip) console.warn(`replicas.test.ts skipped: ${skip}`);

const logger = createLogger('silent');
let cluster: Cluster;
let primarySql: pg.Client;
let replicaSql: pg.Client;
const dbs: Database[] = [];

const METRICS_TOKEN = 'replica-metrics-token-000000001';

async function appOn(maxLagMs: number) {
  const db = connectPostgres({ url: cluster.primary.url, poolSize: 5, replicas: { urls: [cluster.replica.url], maxLagMs, pollMs: 100 } });
  dbs.push(db);
  await db.replicas!.start();
  const http = request(createApp({ db, config: testConfig({ replicaUrls: [cluster.replica.url], replicaMaxLagMs: maxLagMs, metricsToken: METRICS_TOKEN }), logger }));
  return { db, http };
}

/** counterpoint_db_reads_total by target, as /metrics reports it. */
async function readsByTarget(http: ReturnType<typeof request>): Promise<{ primary: number; replica: number }> {
  const m = parseMetrics((await http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text);
  return { primary: valueOf(m, 'counterpoint_db_reads_total', { target: 'primary' }), replica: valueOf(m, 'counterpoint_db_reads_total', { target: 'replica-1' }) };
}

/** A client on the replica (again, after a test has stopped and started it). */
async function connectReplica(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.replica.url });
  client.on('error', () => undefined); // tests stop the replica under it
  await client.connect();
  return client;
}

const replayed = async () => (await replicaSql.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [(await primarySql.query('SELECT pg_current_wal_lsn()::text AS l')).rows[0].l])).rows[0].ok;
async function caughtUp() {
  for (let i = 0; i < 100 && !(await replayed()); i += 1) await pause(50);
}
/** Statements run at a server since the last reset, matching `like`. */
async function calls(client: pg.Client, like: string): Promise<number> {
  const { rows } = await client.query(`SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_statements WHERE query ILIKE $1 AND query NOT ILIKE '%pg_stat_statements%'`, [like]);
  return rows[0].n;
}
const resetStats = () => Promise.all([primarySql.query('SELECT pg_stat_statements_reset()'), replicaSql.query('SELECT pg_stat_statements_reset()')]);
const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

describeReplicas('reads on replicas, writes on the primary', () => {
  beforeAll(async () => {
    const [primaryPort, replicaPort] = await freePorts(2);
    cluster = makeReplicatedCluster(primaryPort!, replicaPort!, ["shared_preload_libraries='pg_stat_statements'"]);
    primarySql = new pg.Client({ connectionString: cluster.primary.url });
    await primarySql.connect();
    await primarySql.query('CREATE EXTENSION pg_stat_statements');
    const setup = connectPostgres({ url: cluster.primary.url, poolSize: 1 });
    await applyMigrations(setup.sql);
    const ctx: AppContext = { prisma: setup.prisma, config: testConfig(), logger };
    await ensureAdminKey(ctx, ADMIN_KEY);
    await setup.close();
    replicaSql = await connectReplica();
    await caughtUp();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.close().catch(() => undefined)));
    await primarySql?.end().catch(() => undefined);
    await replicaSql?.end().catch(() => undefined);
    cluster?.destroy();
  });

  test('GETs are served by the replica and writes by the primary, counted at each server', async () => {
    const { http } = await appOn(30_000);
    await resetStats();
    const created = await http.post('/v1/parties').set(auth).send({ name: 'Replica Routing Ministry', kind: 'ORGANIZATION' });
    expect(created.status).toBe(201);
    expect(created.headers['commit-lsn']).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(await calls(primarySql, 'insert into "public"."party"%')).toBe(1);
    expect(await calls(replicaSql, 'insert%')).toBe(0);
    await caughtUp();
    await pause(300); // the next poll sees the replica at the write
    await resetStats();
    const before = await readsByTarget(http);
    for (let i = 0; i < 5; i += 1) {
      const got = await http.get(`/v1/parties/${created.body.id}`).set(auth);
      expect(got.status).toBe(200);
      expect(got.body.name).toBe('Replica Routing Ministry');
    }
    expect(await calls(replicaSql, 'select%from "public"."party"%')).toBeGreaterThanOrEqual(5);
    expect(await calls(primarySql, 'select%from "public"."party"%')).toBe(0);
    // What /metrics says agrees with what the servers counted.
    const after = await readsByTarget(http);
    expect(after.replica - before.replica).toBeGreaterThanOrEqual(5);
    expect(after.primary - before.primary).toBe(0);
  });

  test('read your writes: a replica held behind does not serve the writer, and does serve others', async () => {
    const { http } = await appOn(60_000);
    const readerKey = (await http.post('/v1/keys').set(auth).send({ name: 'other desk', role: 'READER' })).body.key as string;
    await caughtUp();
    await pause(300);
    await replicaSql.query('SELECT pg_wal_replay_pause()');
    try {
      const created = await http.post('/v1/parties').set(auth).send({ name: 'Held Behind Council', kind: 'ORGANIZATION' });
      expect(created.status).toBe(201);
      const lsn = String(created.headers['commit-lsn']);
      await resetStats();
      // The writer, by its key's window: the primary answers.
      const own = await http.get(`/v1/parties/${created.body.id}`).set(auth);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: created.body.id, name: 'Held Behind Council' });
      // Another caller that carries the position: the primary answers too.
      const carried = await http.get(`/v1/parties/${created.body.id}`).set('Authorization', `Bearer ${readerKey}`).set('Min-LSN', lsn);
      expect(carried.status).toBe(200);
      expect(carried.body).toMatchObject({ id: created.body.id, name: 'Held Behind Council' });
      expect(await calls(primarySql, 'select%from "public"."party"%')).toBeGreaterThanOrEqual(2);
      // Another caller without it is served by the (in rotation, paused) replica, which does not have it yet.
      const other = await http.get(`/v1/parties/${created.body.id}`).set('Authorization', `Bearer ${readerKey}`);
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ status: 404 });
      const bad = await http.get('/v1/parties/x').set(auth).set('Min-LSN', 'not-an-lsn');
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toMatch(/Min-LSN/);
      // Once the replica has replayed the write, a read carrying its position is the replica's.
      await replicaSql.query('SELECT pg_wal_replay_resume()');
      await caughtUp();
      await pause(300);
      await resetStats();
      const later = await http.get(`/v1/parties/${created.body.id}`).set('Authorization', `Bearer ${readerKey}`).set('Min-LSN', lsn);
      expect(later.status).toBe(200);
      expect(later.body).toMatchObject({ id: created.body.id, name: 'Held Behind Council' });
      expect(await calls(replicaSql, 'select%from "public"."party"%')).toBeGreaterThanOrEqual(1);
      expect(await calls(primarySql, 'select%from "public"."party"%')).toBe(0);
    } finally {
      await replicaSql.query('SELECT pg_wal_replay_resume()');
    }
  });

  test('a replica further behind than REPLICA_MAX_LAG_MS is out of rotation', async () => {
    const { db, http } = await appOn(400);
    await caughtUp();
    await replicaSql.query('SELECT pg_wal_replay_pause()');
    try {
      const created = await http.post('/v1/parties').set(auth).send({ name: 'Lagging Behind Office', kind: 'ORGANIZATION' });
      await pause(1000);
      expect(db.replicas!.members.map((r) => db.replicas!.inRotation(r))).toEqual([false]);
      await resetStats();
      const readerKey = (await http.post('/v1/keys').set(auth).send({ name: 'late desk', role: 'READER' })).body.key as string;
      expect((await http.get(`/v1/parties/${created.body.id}`).set('Authorization', `Bearer ${readerKey}`)).status).toBe(200);
      expect(await calls(replicaSql, 'select%from "public"."party"%')).toBe(0);
    } finally {
      await replicaSql.query('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    await pause(400);
    expect(db.replicas!.members.map((r) => db.replicas!.inRotation(r))).toEqual([true]);
  });

  test('a replica going away mid-load costs clients no error', async () => {
    const { db, http } = await appOn(30_000);
    await caughtUp();
    await pause(300);
    const statuses: number[] = [];
    let stop = false;
    const loop = async () => {
      while (!stop) statuses.push((await http.get('/v1/parties?limit=5').set(auth)).status);
    };
    const loops = Array.from({ length: 6 }, loop);
    await pause(500);
    cluster.replica.stop('immediate');
    await pause(1500);
    stop = true;
    await Promise.all(loops);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(db.replicas!.members.map((r) => db.replicas!.inRotation(r))).toEqual([false]);
    cluster.replica.start();
  });

  test('a replica going away in the middle of a request: the primary answers it, and the replica leaves the rotation', async () => {
    replicaSql = await connectReplica(); // the replica was stopped and started by the test before
    const { db, http } = await appOn(30_000);
    const created = await http.post('/v1/parties').set(auth).send({ name: 'Interrupted Read Agency', kind: 'ORGANIZATION' });
    expect(created.status).toBe(201);
    const readerKey = (await http.post('/v1/keys').set(auth).send({ name: 'interrupted desk', role: 'READER' })).body.key as string;
    await caughtUp();
    await pause(300);
    expect(db.replicas!.members.map((r) => db.replicas!.inRotation(r))).toEqual([true]);
    // A lock taken on the primary is replayed on the replica, where reads of the table then wait behind it:
    // the request is held on the replica, mid-query, when the replica goes.
    const locker = new pg.Client({ connectionString: cluster.primary.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE party IN ACCESS EXCLUSIVE MODE');
      await eventually('the lock replayed on the replica', 15_000, async () => (await replicaSql.query(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'party' AND l.mode = 'AccessExclusiveLock' AND l.granted`,
      )).rows[0].n === 1);
      const pending = http.get(`/v1/parties/${created.body.id}`).set('Authorization', `Bearer ${readerKey}`).then((r) => r);
      await eventually('the read waiting on the replica', 15_000, async () => (await replicaSql.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%from "public"."party"%'`,
      )).rows[0].n === 1);
      cluster.replica.stop('immediate');
      await locker.query('ROLLBACK');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.body.id, name: 'Interrupted Read Agency', kind: 'ORGANIZATION' });
      expect(db.replicas!.members.map((r) => db.replicas!.inRotation(r))).toEqual([false]);
    } finally {
      await locker.end().catch(() => undefined);
      cluster.replica.start();
    }
  });
});
