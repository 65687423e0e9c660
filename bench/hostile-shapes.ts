import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serviceMemoryFlags } from './memory-flags';
import { performance } from 'node:perf_hooks';
import { JSON_LIMITS } from '../src/modules/claimreview/json-text';
import { spawnServer, type ServerProcess } from '../tests/helpers/server-process';

/*
 * The pathological ClaimReview imports of issue 9 (points 4 and 5), each at
 * the 10 MB limit, and the largest accepted body of the shapes refused at
 * the limit; and a drill that sends one to the service as `npm start` runs
 * it while /healthz is polled. Shared by bench/hostile-import.ts (figures)
 * and tests/hostile-import.test.ts (the service never stalls or dies).
 */
export const LIMIT_BYTES = 10 * 1024 * 1024;
const ROOT = path.resolve(__dirname, '..');

export type Shape = { name: string; contentType: string; body: () => string; expect: number };

const fill = (unit: string, budget: number) => unit.repeat(Math.floor(budget / unit.length));
const json = 'application/ld+json';
const html = 'text/html';
const claimReview = (claimReviewed: string) =>
  `{"@type":"ClaimReview","url":"https://hostile.example/check","claimReviewed":"${claimReviewed}","author":{"@type":"Organization","name":"Hostile Check"},"reviewRating":{"alternateName":"False"}}`;

export const HOSTILE_SHAPES: Shape[] = [
  { name: 'html: "<script" repeated', contentType: html, body: () => fill('<script', LIMIT_BYTES), expect: 422 },
  { name: 'html: an unclosed JSON-LD block, then "<script" repeated', contentType: html, body: () => '<script type="application/ld+json">' + fill('<script', LIMIT_BYTES - 40), expect: 422 },
  { name: 'html: spaces inside a JSON-LD block', contentType: html, body: () => `<script type="application/ld+json">{"a":${fill(' ', LIMIT_BYTES - 60)}1}</script>`, expect: 422 },
  { name: 'html: "<" repeated (no tag ever closes)', contentType: html, body: () => fill('<', LIMIT_BYTES), expect: 422 },
  { name: 'json: spaces inside JSON', contentType: json, body: () => `{"a":${fill(' ', LIMIT_BYTES - 10)}1}`, expect: 422 },
  { name: 'json: spaces after commas', contentType: json, body: () => `[${fill(`1,${' '.repeat(1000)}`, LIMIT_BYTES - 10)}1]`, expect: 422 },
  { name: 'json: [{},{},…] at the limit', contentType: json, body: () => `[${fill('{},', LIMIT_BYTES - 4)}{}]`, expect: 413 },
  { name: `json: [{},{},…] largest accepted (${JSON_LIMITS.containers} objects and arrays)`, contentType: json, body: () => `[${'{},'.repeat(JSON_LIMITS.containers - 2)}{}]`, expect: 422 },
  { name: 'json: [[[[… nesting at the limit', contentType: json, body: () => fill('[', LIMIT_BYTES), expect: 413 },
  { name: 'json: [1,1,1,…] at the limit', contentType: json, body: () => `[${fill('1,', LIMIT_BYTES - 4)}1]`, expect: 413 },
  { name: `json: [1,1,1,…] largest accepted (${JSON_LIMITS.elements} elements)`, contentType: json, body: () => `[${'1,'.repeat(JSON_LIMITS.elements)}1]`, expect: 422 },
  { name: 'json: ["","",…] at the limit', contentType: json, body: () => `[${fill('"",', LIMIT_BYTES - 4)}""]`, expect: 413 },
  { name: 'json: one 10 MB string', contentType: json, body: () => `["${fill('x', LIMIT_BYTES - 10)}"]`, expect: 422 },
  { name: 'json: a ClaimReview whose claimReviewed is "<" repeated', contentType: json, body: () => claimReview(fill('<', LIMIT_BYTES - 400)), expect: 200 },
  { name: 'json: a ClaimReview whose claimReviewed is "<a " repeated', contentType: json, body: () => claimReview(fill('<a ', LIMIT_BYTES - 400)), expect: 200 },
];

export const DRILL_KEY = 'hostile-drill-admin-key-000000000000000001';
const METRICS_TOKEN = 'hostile-drill-metrics-token-0000000000001';

/** The heap limit `npm start` gives the service, read from package.json so that the drill runs what ships. */
export function startHeapMb(): number {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /--max-old-space-size=(\d+)/.exec(start);
  if (!m) throw new Error('npm start sets no --max-old-space-size');
  return Number(m[1]);
}

function status(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}
const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

export type DrillServer = {
  pid: number;
  url: string;
  heapMb: number;
  process: ServerProcess;
  rssMb(): number;
  /** The peak since the last resetPeak(). */
  peakRssMb(): number;
  /** The peak over the server's life. */
  overallPeakRssMb(): number;
  /** Starts a new peak (Linux: clear_refs 5 resets VmHWM). */
  resetPeak(): void;
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
};

export async function startDrillServer(env: Record<string, string>, port = 0): Promise<DrillServer> {
  const heapMb = startHeapMb();
  const server = spawnServer(
    { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_API_KEY: DRILL_KEY, METRICS_TOKEN, RATE_LIMIT_PER_MINUTE: '0', ...env },
    serviceMemoryFlags(heapMb),
  );
  const listening = await server.waitForLog('counterpoint is listening', 120_000);
  const url = String(listening.url).replace(/\/$/, '');
  const pid = server.proc.pid!;
  let overall = 0;
  return {
    pid,
    url,
    heapMb,
    process: server,
    rssMb: () => kb(status(pid), 'VmRSS') / 1024,
    peakRssMb: () => kb(status(pid), 'VmHWM') / 1024,
    overallPeakRssMb: () => Math.max(overall, kb(status(pid), 'VmHWM') / 1024),
    resetPeak() {
      overall = Math.max(overall, kb(status(pid), 'VmHWM') / 1024);
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // not Linux, or not allowed: the peak is then the process's whole-life peak
      }
    },
    async healthy() {
      try {
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).ok;
      } catch {
        return false;
      }
    },
    async stop() {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await server.exited;
      clearTimeout(timer);
    },
  };
}

export type DrillResult = {
  bytes: number;
  status: number | string;
  body: string;
  answerMs: number;
  /** The longest the service's own event loop was held up during the drill (its monitorEventLoopDelay, via /metrics). */
  loopDelayMaxMs: number;
  healthP99: number;
  healthMax: number;
  healthCount: number;
  peakRssMb: number;
};

/**
 * The service's longest event-loop delay since the last scrape: prom-client
 * resets its histogram on each one. Measured inside the service, it is not
 * lengthened by the drill's own process (its GC, its sending of 10 MB) or by
 * the network, as a probe's round trip is.
 */
async function loopDelayMaxMs(server: DrillServer): Promise<number> {
  const m = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await scrapeMetrics(server));
  if (!m) throw new Error("the service's /metrics gave no event-loop delay");
  return Number(m[1]) * 1000;
}

/** The service's /metrics, in Prometheus text. */
export async function scrapeMetrics(server: DrillServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`the service's /metrics answered ${res.status}`);
  return res.text();
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0;
};

/** One shape sent while /healthz is polled every 20 ms (a probe that gets no answer within 30 s counts as 30 s). */
export async function runDrill(server: DrillServer, shape: Shape, timeoutMs = 60_000): Promise<DrillResult> {
  const body = shape.body();
  const bytes = Buffer.byteLength(body);
  server.resetPeak();
  await loopDelayMaxMs(server);
  const health: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer());
      } catch {
        // counted by its time
      }
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  let status: number | string;
  let text = '';
  try {
    const res = await fetch(`${server.url}/v1/imports/claimreview`, {
      method: 'POST',
      headers: { 'Content-Type': shape.contentType, Authorization: `Bearer ${DRILL_KEY}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    status = `no answer (${(err as Error).name})`;
  }
  const answerMs = performance.now() - t0;
  // Keep probing a little after the answer: a stall that outlives the request shows too.
  await new Promise((r) => setTimeout(r, 200));
  done = true;
  await poll;
  const loopDelay = await loopDelayMaxMs(server);
  return { bytes, status, body: text.slice(0, 500), answerMs, loopDelayMaxMs: loopDelay, healthP99: percentile(health, 99), healthMax: Math.max(0, ...health), healthCount: health.length, peakRssMb: server.peakRssMb() };
}
