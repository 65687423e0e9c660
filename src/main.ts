import { ConfigError, loadConfig, type Config } from './config/config';
import { NoteError, parseSignerKey } from './modules/audit/signed-note';

/*
 * The entry point. The configuration is checked before the rest of the
 * service is loaded (src/server.ts), so a bad setting is refused at once
 * with exit code 2, without the seconds it takes to load the whole app.
 */
let config: Config;
try {
  config = loadConfig();
  if (config.auditSigningKey) parseSignerKey(config.auditSigningKey);
} catch (err) {
  if (err instanceof NoteError) {
    process.stderr.write(`Invalid configuration:\n  AUDIT_SIGNING_KEY: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}
void import('./server').then(({ run }) => run(config));
