import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleInMemory, runsCompiled } from '../../shared/bundle';
import { InvalidInputError, TooLargeError } from '../../shared/errors';
import type { ExtractJob, ExtractReply } from './extract-worker';
import type { Extraction } from './jsonld';
import { tooComplex } from './too-complex';

/*
 * An import's document is read in a worker thread: tokenizing a 10 MB page or
 * parsing 10 MB of JSON takes the worker up to a few seconds, during which
 * the service's event loop answers every other request (issue 9, point 4).
 * One worker, kept warm, reads one document at a time; a worker that dies
 * (its own heap limit) or overruns its time is replaced, and the import that
 * caused it is refused as too complex.
 */
const WORKER_HEAP_MB = 160;
const JOB_TIMEOUT_MS = 30_000;
const WORKER_FILE = path.join(__dirname, 'extract-worker');

let source: Promise<{ code: string; eval: boolean }> | undefined;
let worker: Worker | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** The compiled service runs the compiled worker; from the sources (tsx, jest) it is bundled once by esbuild. */
function workerSource(): Promise<{ code: string; eval: boolean }> {
  if (source) return source;
  source = runsCompiled(__filename)
    ? Promise.resolve({ code: `${WORKER_FILE}.js`, eval: false })
    : bundleInMemory(`${WORKER_FILE}.ts`, { platform: 'node', format: 'cjs' }).then((code) => ({ code, eval: true }));
  // A failed bundle is not kept: the next import tries again instead of failing for the life of the process.
  source.catch(() => {
    source = undefined;
  });
  return source;
}

async function ready(): Promise<Worker> {
  if (worker) return worker;
  const { code, eval: isCode } = await workerSource();
  const started = new Worker(code, { eval: isCode, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  started.unref();
  started.once('exit', () => {
    if (worker === started) worker = undefined;
  });
  worker = started;
  return started;
}

function runJob(job: ExtractJob): Promise<ExtractReply> {
  return ready().then(
    (w) =>
      new Promise<ExtractReply>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('exit', onExit);
        };
        const onMessage = (reply: ExtractReply) => {
          done();
          resolve(reply);
        };
        const onExit = () => {
          done();
          reject(tooComplex('reading it needed more memory than the import may use'));
        };
        const timer = setTimeout(() => {
          done();
          void w.terminate();
          reject(tooComplex(`reading it took more than ${JOB_TIMEOUT_MS / 1000} s`));
        }, JOB_TIMEOUT_MS);
        w.on('message', onMessage);
        w.once('exit', onExit);
        w.postMessage(job);
      }),
  );
}

/** Ends the reading thread (shutdown; each test file's end): a thread left behind would outlive the app that started it. */
export async function stopExtracting(): Promise<void> {
  const running = worker;
  worker = undefined;
  await running?.terminate();
}

/** The ClaimReviews in an import's document (HTML or JSON), read off the event loop. */
export async function extractDocument(document: string, html: boolean, pageUrl: string | null): Promise<Extraction> {
  const reply = queue.then(() => runJob({ html, document, pageUrl }));
  queue = reply.catch(() => undefined);
  const r = await reply;
  if (r.ok) return r.extraction;
  if ('tooLarge' in r) throw new TooLargeError(r.tooLarge.code, r.tooLarge.message, r.tooLarge.details);
  if ('invalidJson' in r) throw new InvalidInputError(`The request body is not valid JSON: ${r.invalidJson}`);
  throw new Error(`Reading the import's document failed in its worker: ${r.failed}`);
}
