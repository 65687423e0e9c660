import { generateSignerKey, NoteError, parseSignerKey } from './signed-note';

/** npm run audit-key -- <name>: a new checkpoint signing key (for AUDIT_SIGNING_KEY) and the public key to publish. */
const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: npm run audit-key -- <key name, e.g. example-news.org/counterpoint>\n');
  process.exit(2);
}
try {
  const key = generateSignerKey(name);
  process.stdout.write(`AUDIT_SIGNING_KEY=${key}\npublic key: ${parseSignerKey(key).verifierKey}\n`);
} catch (err) {
  process.stderr.write(`${err instanceof NoteError ? err.message : String(err)}\n`);
  process.exit(2);
}
