import { LRUCache } from 'lru-cache';
import { keyCacheLookups } from '../modules/metrics/registry';
import type { Actor } from './context';

/** What authentication needs of a stored key. */
export type StoredKey = { revokedAt: Date | null; actor: Actor };

export type KeyCache = {
  /** The key with this hash as of the ledger's head `head`: kept from an earlier request at that head, or found now. */
  lookup(keyHash: string, head: string, find: () => Promise<StoredKey | null>): Promise<StoredKey | null>;
};

/**
 * Keeps the keys that authenticated, each with the chain head it was read
 * at. Issuing, revoking a key and changing its actor are ledger writes, each
 * appending to the audit chain, so a key read at the current head is the key
 * as it is now: a revocation through any instance moves the head and is seen
 * by the next request here. The head is read before the key, as for the
 * read cache. Unknown keys are not kept. A change made by hand in the
 * database, outside the API, appends nothing to the chain: no key is kept
 * longer than `maxAgeMs`, so such a revocation holds within that time.
 */
export const KEY_CACHE_MAX_AGE_MS = 5000;

export function keyCache(maxKeys = 10_000, maxAgeMs = KEY_CACHE_MAX_AGE_MS): KeyCache {
  const kept = new LRUCache<string, { head: string; key: StoredKey }>({ max: maxKeys, ttl: maxAgeMs });
  return {
    async lookup(keyHash, head, find) {
      const hit = kept.get(keyHash);
      if (hit?.head === head) {
        keyCacheLookups.inc({ result: 'hit' });
        return hit.key;
      }
      keyCacheLookups.inc({ result: 'miss' });
      const key = await find();
      if (key) kept.set(keyHash, { head, key });
      else kept.delete(keyHash);
      return key;
    },
  };
}
