import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * Throw-away PostgreSQL clusters for replication tests and drills: a primary
 * made by initdb and a streaming replica made by `pg_basebackup -R`, in a
 * temporary folder, on the ports given. PostgreSQL refuses to run as root,
 * so as root the commands run as the `postgres` user.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const havePostgresBinaries = () => ['initdb', 'pg_ctl', 'pg_basebackup'].every((b) => existsSync(path.join(PG_BIN, b)));

function run(bin: string, args: string[]): string {
  const asPostgres = process.getuid?.() === 0;
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `n` ports free on 127.0.0.1 now (the kernel's choice), for clusters that must not collide with another run's. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export type Node = { dir: string; port: number; url: string; start(): void; stop(mode?: 'fast' | 'immediate'): void };

function node(root: string, dir: string, port: number): Node {
  const opts = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`;
  return {
    dir,
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: () => void run('pg_ctl', ['-D', dir, '-l', `${dir}.log`, '-o', opts, '-w', '-t', '30', 'start']),
    stop: (mode = 'fast') => {
      try {
        run('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
  };
}

export type Cluster = { root: string; primary: Node; replica: Node; destroy(): void };

/** A primary on `primaryPort` and its streaming replica on `replicaPort`, both started. */
export function makeReplicatedCluster(primaryPort: number, replicaPort: number, settings: string[] = []): Cluster {
  const root = mkdtempSync(path.join(os.tmpdir(), 'counterpoint-pg-'));
  chmodSync(root, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', root]);
  const primary = node(root, path.join(root, 'primary'), primaryPort);
  const replica = node(root, path.join(root, 'replica'), replicaPort);
  run('initdb', ['-D', primary.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  const conf = ['wal_level=replica', 'max_wal_senders=5', 'hot_standby=on', 'fsync=off', 'synchronous_commit=on', ...settings];
  execFileSync('sh', ['-c', `printf '%s\\n' ${conf.map((c) => `'${c}'`).join(' ')} >> '${primary.dir}/postgresql.conf'`]);
  execFileSync('sh', ['-c', `echo 'host replication all 127.0.0.1/32 trust' >> '${primary.dir}/pg_hba.conf'`]);
  primary.start();
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replica.dir, '-R', '-X', 'stream']);
  replica.start();
  return {
    root,
    primary,
    replica,
    destroy() {
      replica.stop('immediate');
      primary.stop('immediate');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
