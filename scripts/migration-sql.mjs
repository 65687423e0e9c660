#!/usr/bin/env node
// Prints the SQL that takes the database described by prisma/migrations to
// the one described by prisma/schema.prisma — how a new migration is written
// without Prisma's native schema engine (which needs a download this project
// cannot count on). Usage: npm run migration:sql > prisma/migrations/<ts>_<name>/migration.sql
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineModule from '@prisma/schema-engine-wasm/schema_engine_bg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(root, 'prisma/schema.prisma');
const migrationsDir = path.join(root, 'prisma/migrations');

async function loadEngine() {
  const wasmPath = path.join(path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'))), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { './schema_engine_bg.js': engineModule });
  engineModule.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return engineModule.SchemaEngine;
}

const db = new PGlite({ extensions: { pg_trgm, unaccent } });
for (const name of readdirSync(migrationsDir).filter((n) => !n.endsWith('.toml')).sort()) {
  await db.exec(readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
}
const SchemaEngine = await loadEngine();
const schema = readFileSync(schemaPath, 'utf8');
const files = [{ path: 'schema.prisma', content: schema }];
const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db)));
const result = await engine.diff({
  from: { tag: 'schemaDatasource', files, configDir: root },
  to: { tag: 'schemaDatamodel', files },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
// Search indexes (trigram, full text) are written by hand in the migrations
// with a `_trgm`/`_fts` name: Prisma's schema cannot describe them, so its
// diff would drop them. Leave them be.
const handManaged = /^-- DropIndex\nDROP INDEX "[^"]+_(trgm|fts)";\n?/gm;
process.stdout.write((result.stdout ?? '').replace(handManaged, ''));
process.exit(0);
