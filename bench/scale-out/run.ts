/*
 * The scale-out drill (issue 14), loopback only, bounded (about 80 s of load):
 * a primary (initdb, :4770) and a streaming replica (pg_basebackup -R, :4771),
 * two service instances (:4761, :4762) reading from the replica, HAProxy
 * (:4760, Debian's package, installed if missing) in front with health checks
 * on /readyz. After a short warm-up, a mixed load (80% lookups, 20% writes) on
 * one instance, then through HAProxy on two, then instance B killed (SIGKILL)
 * mid-load, then the replica stopped and started.
 * Usage: npm run bench:scale-out (as root, or with haproxy installed)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import pg from 'pg';
import { makeReplicatedCluster } from '../../scripts/lib/pg-cluster';
import { serviceMemoryFlags } from '../memory-flags';

const ROOT = path.resolve(__dirname, '../..');
const ADMIN = 'scale-out-admin-key-0000000000000000000001';
const METRICS = 'scale-out-metrics-token-0001';
const [PORT_A, PORT_B, PORT_LB] = [4761, 4762, 4760];
const [PG_PRIMARY, PG_REPLICA] = [4770, 4771];
const PHASE_S = Number(process.env.PHASE_SECONDS ?? 15);
const WORKERS = 8;

function ensureHaproxy(): string {
  if (existsSync('/usr/sbin/haproxy')) return '/usr/sbin/haproxy';
  if (process.getuid?.() !== 0) throw new Error('HAProxy is not installed: run as root (it is installed from Debian packages) or apt-get install haproxy');
  console.log('installing haproxy from Debian packages…');
  // RUNLEVEL=1: the package's own service is not started; the drill runs its own HAProxy.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends haproxy'], { stdio: 'inherit', env });
  return '/usr/sbin/haproxy';
}

function instance(port: number, primary: string, replica: string): ChildProcess {
  const env = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1',
    DATABASE_URL: primary, DATABASE_REPLICA_URLS: replica, ADMIN_API_KEY: ADMIN, METRICS_TOKEN: METRICS,
    RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0', LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '8',
  };
  const child = spawn(process.execPath, [...serviceMemoryFlags(), '--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[:${port}] ${d.toString()}`));
  return child;
}

async function ready(port: number) {
  for (let i = 0; i < 360; i += 1) {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) return;
    await pause(250);
  }
  throw new Error(`instance on :${port} never became ready`);
}

/** HAProxy's own refusals are HTML; the service's are problem+json. */
const statusOf = (res: Response) => `${res.status}${res.headers.get('content-type')?.includes('html') ? ' (proxy)' : ''}`;

type Tally = { ops: number; errors: Record<string, number>; stale: number; replayed: number };
const acked: string[] = [];

async function load(base: string, keys: string[], seconds: number, during?: (elapsedMs: number) => void): Promise<Tally> {
  const tally: Tally = { ops: 0, errors: {}, stale: 0, replayed: 0 };
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  const fail = (what: string) => (tally.errors[what] = (tally.errors[what] ?? 0) + 1);
  const timer = during ? setInterval(() => during(Date.now() - started), 100) : undefined;
  await Promise.all(keys.map(async (key, w) => {
    const h = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    let mine: { id: string; lsn: string } | undefined;
    for (let i = 0; Date.now() < until; i += 1) {
      try {
        if (i % 5 === 4 || !mine) {
          // Each write carries an Idempotency-Key: when an instance dies after committing and HAProxy
          // sends the request again to the other one, the stored answer is replayed, not a second party made.
          const headers = { ...h, 'Idempotency-Key': `drill-${w}-${i}-${Date.now()}` };
          const res = await fetch(`${base}/v1/parties`, { method: 'POST', headers, body: JSON.stringify({ name: `Drill ${w}-${Date.now()}-${i}`, kind: 'ORGANIZATION' }) });
          if (res.status !== 201) fail(`write ${statusOf(res)}`);
          else {
            if (res.headers.get('idempotent-replayed') === 'true') tally.replayed += 1;
            const body = (await res.json()) as { id: string };
            acked.push(body.id);
            mine = { id: body.id, lsn: res.headers.get('commit-lsn') ?? '' };
          }
        } else if (i % 2 === 0) {
          // The writer reads its own latest write, carrying its commit position: it must be there.
          const res = await fetch(`${base}/v1/parties/${mine.id}`, { headers: { ...h, ...(mine.lsn ? { 'Min-LSN': mine.lsn } : {}) } });
          if (res.status === 404) tally.stale += 1;
          else if (res.status !== 200) fail(`read ${statusOf(res)}`);
          await res.arrayBuffer();
        } else {
          const res = await fetch(`${base}/v1/claims?limit=20`, { headers: h });
          if (res.status !== 200) fail(`lookup ${statusOf(res)}`);
          await res.arrayBuffer();
        }
        tally.ops += 1;
      } catch (err) {
        fail(`connection: ${(err as Error).message}`);
        await pause(50);
      }
    }
  }));
  clearInterval(timer);
  return tally;
}

async function readsByTarget(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${METRICS}` } })).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^counterpoint_db_reads_total\{target="([^"]+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function main() {
  const haproxy = ensureHaproxy();
  const cluster = makeReplicatedCluster(PG_PRIMARY, PG_REPLICA);
  const children: ChildProcess[] = [];
  // Bounded whatever happens: past 15 minutes everything the drill started is ended.
  const watchdog = setTimeout(() => {
    console.error('the drill took longer than 15 minutes; stopping');
    for (const c of children) c.kill('SIGKILL');
    cluster.destroy();
    process.exit(1);
  }, 15 * 60_000);
  watchdog.unref();
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  try {
    const [a, b] = [instance(PORT_A, cluster.primary.url, cluster.replica.url), instance(PORT_B, cluster.primary.url, cluster.replica.url)];
    children.push(a, b);
    await Promise.all([ready(PORT_A), ready(PORT_B)]);
    const cfg = path.join(cluster.root, 'haproxy.cfg');
    writeFileSync(cfg, [
      'global', '  maxconn 1000', 'defaults', '  mode http', '  timeout connect 1s', '  timeout client 10s', '  timeout server 10s', '  timeout check 3s', '  retries 3', '  option redispatch 1', '  retry-on conn-failure empty-response response-timeout',
      `frontend api`, `  bind 127.0.0.1:${PORT_LB}`, '  default_backend instances',
      'backend instances', '  balance roundrobin', '  option httpchk GET /readyz', '  http-check expect status 200', '  default-server inter 500ms fall 3 rise 2',
      `  server a 127.0.0.1:${PORT_A} check`, `  server b 127.0.0.1:${PORT_B} check`, '',
    ].join('\n'));
    const lb = spawn(haproxy, ['-f', cfg], { stdio: 'ignore' });
    children.push(lb);
    await ready(PORT_LB);
    const keys: string[] = [];
    for (let i = 0; i < WORKERS; i += 1) {
      const res = await fetch(`http://127.0.0.1:${PORT_A}/v1/keys`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `drill ${i}`, role: 'EDITOR' }) });
      keys.push(((await res.json()) as { key: string }).key);
    }
    const rate = (t: Tally, s: number) => `${Math.round(t.ops / s)} req/s`;
    say(`${new Date().toISOString()}, Node ${process.version}, ${WORKERS} clients, ${PHASE_S} s phases, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    // Warm-up through HAProxy (JIT, connection pools, caches on both instances): not counted.
    await load(`http://127.0.0.1:${PORT_LB}`, keys, 5);
    const errs = (t: Tally) => (Object.keys(t.errors).length ? JSON.stringify(t.errors) : 'none');

    const one = await load(`http://127.0.0.1:${PORT_A}`, keys, PHASE_S);
    say(`one instance (direct):        ${rate(one, PHASE_S)}, stale reads ${one.stale}, errors ${errs(one)}`);
    const two = await load(`http://127.0.0.1:${PORT_LB}`, keys, PHASE_S);
    say(`two instances (HAProxy):      ${rate(two, PHASE_S)}, stale reads ${two.stale}, errors ${errs(two)}`);
    const reads = [await readsByTarget(PORT_A), await readsByTarget(PORT_B)];
    const onReplica = reads.reduce((n, r) => n + (r['replica-1'] ?? 0), 0);
    const total = reads.reduce((n, r) => n + Object.values(r).reduce((x, y) => x + y, 0), 0);
    say(`share of reads served by the replica: ${((100 * onReplica) / Math.max(1, total)).toFixed(1)}% (${onReplica} of ${total})`);

    let killed = false;
    const kill = await load(`http://127.0.0.1:${PORT_LB}`, keys, PHASE_S, (ms) => {
      if (!killed && ms > 3000) {
        killed = true;
        b.kill('SIGKILL');
      }
    });
    say(`instance B killed mid-load:   ${rate(kill, PHASE_S)}, stale reads ${kill.stale}, errors seen by clients ${errs(kill)}, writes retried by HAProxy and replayed ${kill.replayed}`);

    let step = 0;
    const replicaFault = await load(`http://127.0.0.1:${PORT_LB}`, keys, PHASE_S, (ms) => {
      if (step === 0 && ms > 3000) {
        step = 1;
        cluster.replica.stop('immediate');
      } else if (step === 1 && ms > 8000) {
        step = 2;
        cluster.replica.start();
      }
    });
    say(`replica stopped and started:  ${rate(replicaFault, PHASE_S)}, stale reads ${replicaFault.stale}, errors seen by clients ${errs(replicaFault)}`);
    say(`stale reads observed by writers (all phases): ${one.stale + two.stale + kill.stale + replicaFault.stale}`);

    const primary = new pg.Client({ connectionString: cluster.primary.url });
    await primary.connect();
    const found = (await primary.query('SELECT count(*)::int AS n FROM party WHERE id = ANY($1::uuid[])', [acked])).rows[0].n as number;
    say(`acknowledged writes: ${acked.length}, lost: ${acked.length - found}`);
    const chain = (await primary.query('SELECT count(*)::int AS n, min(seq)::int AS lo, max(seq)::int AS hi FROM audit_event')).rows[0];
    await primary.end();
    const verify = (await (await fetch(`http://127.0.0.1:${PORT_A}/v1/audit/verify`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as { ok: boolean; checked: number };
    say(`audit chain: verified ${verify.ok} (${verify.checked} events), gap-free ${chain.n === chain.hi - chain.lo + 1} (seq ${chain.lo}..${chain.hi}, ${chain.n} rows)`);
  } finally {
    clearTimeout(watchdog);
    for (const c of children) c.kill('SIGKILL');
    cluster.destroy();
  }
  writeFileSync(path.join(ROOT, 'bench/.scale-out-last-run.txt'), `${lines.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
