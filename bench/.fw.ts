// scratch: the framework's cost per request, the database answered by a stub
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { connectPostgres } from '../src/db/client';
import { createLogger } from '../src/shared/logger';
import { readFileSync } from 'node:fs';
const body = readFileSync('/tmp/a.json', 'utf8');
const config = loadConfig(process.env);
const db = connectPostgres({ url: process.env.DATABASE_URL!, poolSize: 2 });
const stub = { ...db, read: async () => [{ body }] } as typeof db;
createApp({ db: stub, config, logger: createLogger('error') }).listen(3907, () => console.log('fw listening'));
process.on('SIGINT', () => process.exit(0));
