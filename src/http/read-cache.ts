import { LRUCache } from 'lru-cache';
import { readCacheLookups } from '../modules/metrics/registry';
import type { Reply } from './route';

/** A reply kept for later requests: the JSON as bytes, so a hit is written without encoding it again. */
type Kept = { json: Buffer; etag?: string; headers?: Record<string, string> };

export type ReadCache = {
  /** The reply for `url` as of the ledger's head `head` (read first): kept, being computed by another request, or computed now. */
  serve(url: string, head: Promise<string>, compute: () => Promise<Reply>): Promise<Reply>;
};

/**
 * Answers repeated reads from memory while the ledger has not changed.
 *
 * Every change to the ledger appends to the audit chain in its own
 * transaction (the capture triggers make sure of it), so the chain's head
 * names the ledger's state: a read of the same URL at the same head gives
 * the same bytes. The head is read first, then the answer, so what is kept
 * under a head is at least as new as that head; a request that sees a newer
 * head never gets an older answer, in this process or any other.
 *
 * Requests for the same URL at the same head while the first is still being
 * answered wait for it (one statement, not one per request: the phrase search
 * of a breaking story is asked for by many at once).
 */
export function readCache(opts: { maxBytes: number }): ReadCache {
  const kept = new LRUCache<string, Kept>({ maxSize: opts.maxBytes, sizeCalculation: (k) => k.json.length + 200 });
  const computing = new Map<string, Promise<Reply>>();
  let newestHead = 0n;

  return {
    async serve(url, headRead, compute) {
      const head = await headRead;
      if (BigInt(head) > newestHead) {
        // Answers kept under older heads can no longer be served: free their room.
        kept.clear();
        newestHead = BigInt(head);
      }
      const key = `${head} ${url}`;
      const hit = kept.get(key);
      if (hit) {
        readCacheLookups.inc({ result: 'hit' });
        return { json: hit.json, etag: hit.etag, headers: hit.headers };
      }
      const running = computing.get(key);
      if (running) {
        readCacheLookups.inc({ result: 'shared' });
        return running;
      }
      readCacheLookups.inc({ result: 'miss' });
      const answer = compute().then((reply) => keep(key, reply));
      computing.set(key, answer);
      try {
        return await answer;
      } finally {
        computing.delete(key);
      }
    },
  };

  function keep(key: string, reply: Reply): Reply {
    // Only a whole JSON answer of success is kept; anything else (a body object, a stream, a redirect) passes through.
    if (reply.json === undefined || (reply.status ?? 200) !== 200) return reply;
    const json = typeof reply.json === 'string' ? Buffer.from(reply.json) : reply.json;
    if (json.length + 200 <= opts.maxBytes) kept.set(key, { json, etag: reply.etag, headers: reply.headers });
    return { ...reply, json };
  }
}
