import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { verifyReportStream } from './offline-verify';

/**
 * npm run verify -- <audit report.json> [--checkpoint <file>…] [--public-key <key or file>]
 * Exit 0 when everything checks, 1 naming the first bad seq, 2 on bad usage.
 */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { checkpoint: { type: 'string', multiple: true }, 'public-key': { type: 'string' } } });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const [report] = parsed.positionals;
  if (!report || parsed.positionals.length > 1) {
    process.stderr.write('usage: npm run verify -- <audit report.json> [--checkpoint <file>]… [--public-key <key or file>]\n');
    return 2;
  }
  const keyArg = parsed.values['public-key'];
  const publicKey = keyArg && existsSync(keyArg) ? readFileSync(keyArg, 'utf8').trim() : keyArg;
  const checkpoints = (parsed.values.checkpoint ?? []).map((name) => ({ name, note: readFileSync(name, 'utf8') }));
  const lines = createInterface({ input: createReadStream(report, { encoding: 'utf8' }), crlfDelay: Infinity });
  const result = await verifyReportStream(lines, { checkpoints, publicKey });
  lines.close();
  for (const line of result.lines) process.stdout.write(`${line}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
