import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers: everything but the hashes themselves. */
export type ChainedEvent = {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  before: unknown;
  after: unknown;
};

/**
 * hash = sha256(prevHash ‖ canonical JSON of the event). Chaining the previous
 * hash makes any edit, insertion, deletion or reordering of past events
 * visible from that point on.
 */
export function eventHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(event), 'utf8').digest('hex');
}

export type StoredEvent = ChainedEvent & { prevHash: string; hash: string };

export type Verification = { ok: boolean; checked: number; firstBadSeq: number | null };

/**
 * Walks events in seq order, carrying the expected previous hash across
 * batches. An event is bad when its seq is not the next one, it does not
 * point at its predecessor's hash, or its own hash does not match its content.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private checked = 0;
  private firstBad: number | null = null;

  feed(events: Iterable<StoredEvent>): boolean {
    for (const e of events) {
      if (this.firstBad !== null) return false;
      this.checked += 1;
      const linked = e.seq === this.expectedSeq && e.prevHash === this.prevHash;
      if (!linked || eventHash(e.prevHash, stripHashes(e)) !== e.hash) {
        this.firstBad = linked ? e.seq : Math.min(e.seq, this.expectedSeq);
        return false;
      }
      this.expectedSeq = e.seq + 1;
      this.prevHash = e.hash;
    }
    return true;
  }

  result(): Verification {
    return { ok: this.firstBad === null, checked: this.checked, firstBadSeq: this.firstBad };
  }
}

function stripHashes(e: StoredEvent): ChainedEvent {
  return {
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    requestId: e.requestId,
    before: e.before,
    after: e.after,
  };
}
