import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Examples drawn from the seed story: responses recorded by
 * `npm run openapi:examples` against the seeded database, keyed by
 * operationId (fixtures/openapi-examples.json). A test checks each still
 * matches its schema.
 */
export const EXAMPLES_FILE = path.resolve(__dirname, '../../fixtures/openapi-examples.json');

type Examples = Record<string, { params?: Record<string, string>; request?: unknown; response?: unknown }>;

export function readExamples(): Examples {
  return existsSync(EXAMPLES_FILE) ? (JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as Examples) : {};
}

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
};

export function attachExamples<T extends { paths: Record<string, Record<string, unknown>> }>(doc: T): T {
  const examples = readExamples();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      const ex = examples[op.operationId];
      if (!ex) continue;
      for (const p of op.parameters ?? []) if (p.in === 'path' && ex.params?.[p.name] !== undefined) p.example = ex.params[p.name];
      const json = op.requestBody?.content['application/json'];
      if (json && ex.request !== undefined) json.example = ex.request;
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1];
      const body = success?.content?.['application/json'];
      if (body && ex.response !== undefined) body.example = ex.response;
    }
  }
  return doc;
}
