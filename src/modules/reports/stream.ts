import { once } from 'node:events';
import type { Response } from 'express';

export type ReportFormat = 'json' | 'csv' | 'html';

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  html: 'text/html; charset=utf-8',
};

class ClientGone extends Error {}

/**
 * Writes a report to the response as it is produced, respecting
 * backpressure: when the client reads slowly, the next batch is not read
 * from the database until the socket drains, so memory stays flat whatever
 * the report's size. A client that disconnects stops the report.
 */
export function reportWriter(res: Response) {
  let buffered = '';
  const flush = async () => {
    if (res.destroyed) throw new ClientGone();
    if (buffered === '') return;
    const chunk = buffered;
    buffered = '';
    if (!res.write(chunk)) {
      const settled = new AbortController();
      await Promise.race([once(res, 'drain', { signal: settled.signal }), once(res, 'close', { signal: settled.signal })]).catch(() => undefined);
      settled.abort(); // removes the listener that lost the race
      if (res.destroyed) throw new ClientGone();
    }
  };
  return {
    /** Queues text; it is sent at the next flush (after each batch). */
    push(text: string) {
      buffered += text;
    },
    flush,
    async end() {
      await flush();
      res.end();
    },
  };
}
export type ReportWriter = ReturnType<typeof reportWriter>;

/** Runs a report; a client that went away is not an error worth a log line. */
export async function streamReport(res: Response, produce: (out: ReportWriter) => Promise<void>): Promise<void> {
  const out = reportWriter(res);
  try {
    await produce(out);
    await out.end();
  } catch (err) {
    if (err instanceof ClientGone) return;
    throw err;
  }
}

export function reportFilename(name: string, format: ReportFormat): string {
  return `attachment; filename="${name}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}"`;
}
