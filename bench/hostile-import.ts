// The hostile-import drill (issue 9, points 4 and 5): each pathological
// ClaimReview import at the 10 MB limit (and the largest accepted body of
// the shapes that are refused at the limit), sent to the service running as
// `npm start` runs it (same heap limit), while /healthz is polled every 20 ms.
// Prints, per shape, the answer, its time, the longest the service's event
// loop was held up, the p99 and max of /healthz, and the service's peak RSS
// (VmHWM). Loopback only; bounded in time and count.
//   npm run bench:hostile            (embedded database in a temporary folder)
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:hostile
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HOSTILE_SHAPES, runDrill, startDrillServer } from './hostile-shapes';
import { adminQuery, withDatabase } from '../tests/helpers/test-db';

async function databaseEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'interop-hostile-'));
    return { env: { DATA_DIR: path.join(dir, 'db') }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = 'interop_hostile_bench';
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return { env: { DATABASE_URL: withDatabase(url, name) }, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function main() {
  const db = await databaseEnv();
  const server = await startDrillServer(db.env, 3511);
  try {
    console.log(`service pid ${server.pid}, heap limit ${server.heapMb} MB, idle RSS ${server.rssMb().toFixed(0)} MB`);
    console.log('shape | bytes | status | answer ms | event-loop delay max ms | /healthz p99 ms | /healthz max ms | peak RSS MB');
    for (const shape of HOSTILE_SHAPES) {
      const r = await runDrill(server, shape);
      console.log(
        `${shape.name} | ${r.bytes} | ${r.status} | ${r.answerMs.toFixed(0)} | ${r.loopDelayMaxMs.toFixed(1)} | ${r.healthP99.toFixed(1)} | ${r.healthMax.toFixed(1)} | ${r.peakRssMb.toFixed(0)}`,
      );
    }
    console.log(`service still up: ${await server.healthy()}; peak RSS over the drill ${server.overallPeakRssMb().toFixed(0)} MB`);
  } finally {
    await server.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
