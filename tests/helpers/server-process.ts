import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/*
 * The real server as a child process, for what only a process can show:
 * signals, exit codes, the listening log line.
 *
 * It runs as `node --import tsx src/main.ts`: one process, like the image's
 * `node dist/main.js`. (The `tsx` CLI is a wrapper process that relays
 * SIGTERM to a child and SIGKILLs it, exiting 143, when the child does not
 * acknowledge the signal within 30 ms, which happens on a loaded machine:
 * the test would then measure tsx, not main.ts.)
 */
export const ROOT = path.resolve(__dirname, '../..');

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type ServerProcess = {
  proc: ChildProcess;
  /** JSON log lines from stdout and stderr, in order. */
  logs: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves with the first log line whose msg is `msg` (already seen or still to come). */
  waitForLog(msg: string, ms: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): void;
};

/** Only what the server needs from the parent's environment, plus `env`. */
export function serverEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'];
  const base: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, NODE_ENV: 'test', ...env };
}

export function spawnServer(env: Record<string, string>, nodeArgs: string[] = []): ServerProcess {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  const waiters: { msg: string; resolve: (l: Record<string, unknown>) => void }[] = [];
  const onLine = (line: string) => {
    if (!line.startsWith('{')) return;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      logs.push(parsed);
      for (const w of [...waiters]) {
        if (parsed.msg === w.msg) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    } catch {
      // not a log line
    }
  };
  const splitter = (append: (s: string) => void) => {
    let pending = '';
    return (chunk: Buffer) => {
      const s = chunk.toString('utf8');
      append(s);
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    };
  };
  proc.stdout!.on('data', splitter((s) => (out += s)));
  proc.stderr!.on('data', splitter((s) => (err += s)));
  const exited = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLog(msg, ms) {
      const seen = logs.find((l) => l.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.findIndex((w) => w.resolve === done), 1);
          reject(new Error(`no "${msg}" log line within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, ms);
        const done = (l: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(l);
        };
        waiters.push({ msg, resolve: done });
        void exited.then((e) => {
          clearTimeout(timer);
          reject(new Error(`the server exited (${JSON.stringify(e)}) before logging "${msg}"\nstdout:\n${out}\nstderr:\n${err}`));
        });
      });
    },
    kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

/** Resolves with the exit, or rejects after `ms`. */
export function exitWithin(server: ServerProcess, ms: number): Promise<Exit> {
  return Promise.race([
    server.exited,
    new Promise<Exit>((_, reject) => setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms\nstderr:\n${server.stderr()}`)), ms).unref()),
  ]);
}
