import { parentPort } from 'node:worker_threads';
import { TooLargeError } from '../../shared/errors';
import { extractFromHtml, extractFromJsonText, type Extraction } from './jsonld';
import { tooComplex } from './too-complex';

/*
 * The worker thread that reads an import's document (see extract.ts): the
 * tokenizing and JSON parsing of up to 10 MB run here, so that the service's
 * own event loop keeps answering while it works.
 */
export type ExtractJob = { html: boolean; document: string; pageUrl: string | null };
export type ExtractReply =
  | { ok: true; extraction: Extraction }
  | { ok: false; tooLarge: { code: string; message: string; details: Record<string, unknown> } }
  | { ok: false; invalidJson: string }
  | { ok: false; failed: string };

export async function run(job: ExtractJob): Promise<ExtractReply> {
  try {
    const extraction = job.html ? await extractFromHtml(job.document, job.pageUrl) : await extractFromJsonText(job.document, job.pageUrl);
    return { ok: true, extraction };
  } catch (caught) {
    // A reader out of room (a string or stack past V8's limits) is a document too large, like those the budget refuses.
    const err = caught instanceof RangeError ? tooComplex(`reading it ran out of room (${caught.message})`) : caught;
    if (err instanceof TooLargeError) return { ok: false, tooLarge: { code: err.code, message: err.message, details: err.details } };
    // Only JSON.parse's own complaint is the sender's fault; anything else is a fault of ours, reported as one.
    if (!job.html && err instanceof SyntaxError) return { ok: false, invalidJson: err.message };
    return { ok: false, failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

parentPort?.on('message', (job: ExtractJob) => {
  void run(job).then((reply) => parentPort!.postMessage(reply));
});
