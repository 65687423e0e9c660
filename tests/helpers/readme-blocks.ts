import { readFileSync } from 'node:fs';

/*
 * The README's shell examples, as a test reads them: every fenced `sh` block,
 * its lines joined where they end in `\`, each command with the expectation
 * the README writes beside it — a `# … → what it returns` comment at the end
 * of the command, or on the comment lines right after it (each with its →).
 */

export type Example = { command: string; expect?: string; line: number; block: number };

/** The comment of a shell line (a `#` after a blank, outside quotes), or undefined. */
export function splitComment(line: string): { code: string; comment?: string } {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
  }
  return { code: line.trimEnd() };
}

const arrow = (comment: string | undefined) => (comment?.includes('→') ? comment.slice(comment.indexOf('→') + 1).trim() : undefined);

export function readmeExamples(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Example[] = [];
  let block = -1;
  let fence: 'sh' | 'other' | undefined;
  let pending: Example | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      fence = fence ? undefined : line.trim() === '```sh' ? 'sh' : 'other';
      if (fence === 'sh') block += 1;
      pending = undefined;
      continue;
    }
    const inSh = fence === 'sh';
    if (!inSh) continue;
    const { code, comment } = splitComment(line);
    if (!code) {
      const more = arrow(comment);
      if (pending && more) pending.expect = pending.expect ? `${pending.expect} ${more}` : more;
      else pending = undefined;
      continue;
    }
    let command = code;
    const start = i + 1;
    let last = comment;
    while (command.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = splitComment(lines[i]!);
      command = `${command.slice(0, -1).trimEnd()} ${next.code.trim()}`;
      last = next.comment;
    }
    pending = { command, expect: arrow(last), line: start, block };
    out.push(pending);
  }
  return out;
}
