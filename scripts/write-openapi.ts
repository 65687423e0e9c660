// Writes the OpenAPI document the service serves at /openapi.json to a file
// (for linting in CI and for client generators): npm run openapi -- <file>
import { writeFileSync } from 'node:fs';
import { allRoutes } from '../src/app';
import { buildOpenApiDocument } from '../src/openapi/document';
import { attachExamples } from '../src/openapi/examples';
import { version } from '../package.json';

const file = process.argv[2] ?? 'openapi.json';
writeFileSync(file, `${JSON.stringify(attachExamples(buildOpenApiDocument(allRoutes, version)), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
