import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/*
 * The embedded database's folder is opened by one process only: two PGlite
 * instances on one folder lose writes and can leave it unreadable. The lock
 * is a file beside the folder (`<DATA_DIR>.lock`) made with O_EXCL, holding
 * who holds it. It outlives a crash; a lock whose process is gone (checked by
 * pid) is stale and taken over.
 */
export type LockHolder = { pid: number; command: string; since: string; url?: string };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded data folder ${dataDir} is in use by pid ${holder.pid} (${holder.command}) since ${holder.since}` +
        `${holder.url ? `, serving ${holder.url}` : ''}. One folder is opened by one process at a time: ` +
        `stop that process first (kill ${holder.pid}), or set DATA_DIR to another folder.`,
    );
  }
}

export type DataDirLock = {
  holder: LockHolder;
  /** Records the URL the holder serves, so other commands can send it their work. */
  setUrl(url: string): void;
  release(): void;
};

export const lockFileOf = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(raw: string | undefined): LockHolder | undefined {
  try {
    const h = JSON.parse(raw ?? '') as LockHolder;
    return Number.isInteger(h.pid) && h.pid > 0 ? h : undefined;
  } catch {
    return undefined;
  }
}

/** The live holder of the folder's lock, if any. */
export function currentHolder(dataDir: string): LockHolder | undefined {
  const holder = parse(readRaw(lockFileOf(dataDir)));
  return holder && isAlive(holder.pid) ? holder : undefined;
}

function commandLine(): string {
  const [, script, ...args] = process.argv;
  return [script ? path.relative(process.cwd(), script) : 'node', ...args].join(' ');
}

/**
 * Moves a stale lock out of the way. Two processes may find the same stale
 * lock: the rename is atomic, and what was renamed is checked to be that
 * stale lock (not a fresh one someone just made), else it is put back.
 */
function removeStale(file: string, seen: string | undefined): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // gone already
  }
  if (readRaw(aside) === seen) unlinkSync(aside);
  else renameSync(aside, file);
}

/** Takes the folder's lock or throws DataDirLockedError naming its live holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = lockFileOf(dataDir);
  const holder: LockHolder = { pid: process.pid, command: commandLine(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const raw = readRaw(file);
      const other = parse(raw);
      if (other && other.pid !== process.pid && isAlive(other.pid)) throw new DataDirLockedError(path.resolve(dataDir), other);
      removeStale(file, raw);
      continue;
    }
    writeSync(fd, JSON.stringify(holder));
    closeSync(fd);
    const release = () => {
      if (parse(readRaw(file))?.pid === process.pid) unlinkSync(file);
      process.off('exit', release);
    };
    process.on('exit', release);
    return {
      holder,
      setUrl(url) {
        holder.url = url;
        const next = `${file}.${process.pid}`;
        writeFileSync(next, JSON.stringify(holder), { mode: 0o600 });
        renameSync(next, file);
      },
      release,
    };
  }
  throw new Error(`could not take the lock ${file}`);
}
