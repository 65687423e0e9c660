#!/usr/bin/env node
// Regenerates the Prisma client into src/generated/prisma (committed, so a
// fresh install needs no generate step). `prisma generate` never runs the
// schema engine, but the CLI insists on having one; where its download is not
// reachable, any executable stands in for it — here, node itself.
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
