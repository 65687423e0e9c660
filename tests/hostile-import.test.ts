import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HOSTILE_SHAPES, runDrill, startDrillServer, type DrillServer } from '../bench/hostile-shapes';
import { connectPglite } from '../src/db/client';
import { createTestDatabase, DUMP_ENV, type TestDatabase } from './helpers/test-db';

/*
 * Issue 9 points 4 and 5: no ClaimReview import stalls or kills the service.
 * Each pathological shape at the 10 MB limit (and the largest accepted body
 * of the shapes refused there) goes to the real server, run with the heap
 * `npm start` gives it, while /healthz is polled. Before the fix, "<script"
 * repeated froze the process for over a minute, spaces inside JSON stalled
 * it for seconds, and [{},{},…] exhausted the heap. The figures against the
 * 100 ms target are the bench's (npm run bench:hostile). This test fails on
 * a stall (the service's own event loop held up for a second or more, read
 * from its /metrics), a probe left unanswered for 10 s, a death, or a 5xx.
 * The stall is measured inside the service: a probe's round trip also holds
 * the test process's own pauses and the machine's other work. In one CI run
 * on a loaded two-core machine a probe took over a second, and the round
 * trip could not tell whose pause it was.
 */
jest.setTimeout(240_000);

let testDb: TestDatabase | undefined;
let dir: string | undefined;
let server: DrillServer;

beforeAll(async () => {
  let env: Record<string, string>;
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase();
    env = { DATABASE_URL: testDb.url! };
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), 'interop-hostile-test-'));
    const db = await connectPglite({ dataDir: path.join(dir, 'db'), loadFrom: new Blob([await readFile(process.env[DUMP_ENV]!)]) });
    await db.close();
    env = { DATA_DIR: path.join(dir, 'db') };
  }
  server = await startDrillServer(env);
});

afterAll(async () => {
  await server?.stop();
  await testDb?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test.each(HOSTILE_SHAPES.map((s) => [s.name, s] as const))('%s: answered without stalling the service', async (_name, shape) => {
  const r = await runDrill(server, shape, 30_000);
  expect(r.status).toBe(shape.expect);
  expect(r.loopDelayMaxMs).toBeLessThan(1000);
  expect(r.healthMax).toBeLessThan(10_000);
  if (shape.expect === 413) expect(JSON.parse(r.body)).toMatchObject({ status: 413, type: expect.stringMatching(/import-too-complex$/) });
  expect(r.healthCount).toBeGreaterThan(0);
  expect(await server.healthy()).toBe(true);
});
