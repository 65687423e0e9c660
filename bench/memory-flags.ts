import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The V8 memory flags `npm start` gives the service (its old-space limit and
 * its young generation's semi-space size), read from package.json so that a
 * benchmark measures the memory of what ships. `heapMb` overrides the limit.
 */
export function serviceMemoryFlags(heapMb?: number): string[] {
  const start = (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const flags = start.split(/\s+/).filter((a) => /^--max-(old|semi)-space-size=\d+$/.test(a));
  if (!flags.some((f) => f.startsWith('--max-old-space-size='))) throw new Error('npm start sets no --max-old-space-size');
  return heapMb === undefined ? flags : flags.map((f) => (f.startsWith('--max-old-space-size=') ? `--max-old-space-size=${heapMb}` : f));
}
