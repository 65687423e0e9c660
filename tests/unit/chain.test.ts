import { createHash } from 'node:crypto';
import { ChainVerifier, eventHash, GENESIS_HASH, type ChainedEvent, type StoredEvent } from '../../src/modules/audit/chain';
import { canonicalJson } from '../../src/shared/canonical-json';

function event(seq: number, over: Partial<ChainedEvent> = {}): ChainedEvent {
  return {
    seq,
    at: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000Z`,
    actorId: '01900000-0000-7000-8000-000000000001',
    action: seq % 2 ? 'claim.create' : 'assertion.create',
    entityType: seq % 2 ? 'claim' : 'assertion',
    entityId: `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    requestId: `req-${seq}`,
    before: null,
    after: { statement: `Statement ${seq}`, topics: ['ceasefire-violations'], nested: { z: 1, a: [seq, 'İsrail', '😀'] } },
    ...over,
  };
}

/** A correctly chained log of `count` events. */
function chain(count: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const e = event(seq);
    const hash = eventHash(prevHash, e);
    out.push({ ...e, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

/** The event re-signed as a forger would: its own hash made consistent with its (changed) content and prevHash. */
function resign(e: StoredEvent, prevHash = e.prevHash): StoredEvent {
  const { prevHash: _old, hash: _hash, ...content } = e;
  return { ...content, prevHash, hash: eventHash(prevHash, content) };
}

function verify(events: StoredEvent[], batches = 1) {
  const v = new ChainVerifier();
  const size = Math.ceil(events.length / batches) || 1;
  for (let i = 0; i < events.length; i += size) {
    if (!v.feed(events.slice(i, i + size))) break;
  }
  return v.result();
}

describe('eventHash', () => {
  test('is sha256 over the previous hash followed by the canonical JSON of the event', () => {
    const e = event(1);
    const expected = createHash('sha256').update(GENESIS_HASH + canonicalJson(e), 'utf8').digest('hex');
    expect(eventHash(GENESIS_HASH, e)).toBe(expected);
    expect(eventHash(GENESIS_HASH, e)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('depends on the previous hash and on every field, but not on key order', () => {
    const e = event(3);
    const base = eventHash(GENESIS_HASH, e);
    expect(eventHash('f'.repeat(64), e)).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...e, action: 'claim.update' })).not.toBe(base);
    expect(eventHash(GENESIS_HASH, { ...e, after: { ...(e.after as object), statement: 'changed' } })).not.toBe(base);
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as ChainedEvent;
    expect(eventHash(GENESIS_HASH, reordered)).toBe(base);
  });
});

describe('ChainVerifier', () => {
  test('a valid chain verifies, in one batch or several', () => {
    const events = chain(7);
    expect(verify(events)).toEqual({ ok: true, checked: 7, firstBadSeq: null });
    expect(verify(events, 3)).toEqual({ ok: true, checked: 7, firstBadSeq: null });
  });

  test('an empty log verifies', () => {
    expect(new ChainVerifier().result()).toEqual({ ok: true, checked: 0, firstBadSeq: null });
  });

  test('an edited event is reported at its seq', () => {
    const events = chain(6);
    events[3] = { ...events[3]!, after: { statement: 'rewritten history' } };
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 4 });
    expect(verify(events, 3)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  test('an edited event whose own hash was recomputed is caught at the next event', () => {
    const events = chain(6);
    events[2] = resign({ ...events[2]!, actorId: null });
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  test('a deleted event is reported at the missing seq', () => {
    const events = chain(6);
    events.splice(2, 1); // seq 3 is gone
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 3 });
    const first = chain(4).slice(1); // seq 1 is gone
    expect(verify(first)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  test('a reordered pair is reported at the first of the two seqs', () => {
    const events = chain(6);
    [events[3], events[4]] = [events[4]!, events[3]!]; // seq 5 before seq 4
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  test('a broken prevHash is reported at that event, even when its own hash is consistent', () => {
    const events = chain(6);
    events[4] = resign(events[4]!, 'a'.repeat(64));
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  test('a first event that does not start from the genesis hash is reported at seq 1', () => {
    const events = chain(3);
    events[0] = resign(events[0]!, '1'.repeat(64));
    expect(verify(events)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  test('stops at the first bad event', () => {
    const events = chain(8);
    events[2] = { ...events[2]!, action: 'tampered' };
    events[6] = { ...events[6]!, action: 'tampered too' };
    const result = verify(events);
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(result.checked).toBe(3);
  });
});

describe('canonicalJson', () => {
  test('sorts keys at every depth and drops whitespace', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
  });

  test('is stable: the same data in any key order gives the same text', () => {
    const one = { statement: 'İsrail', topics: ['a', 'b'], meta: { x: 1, y: { q: null, p: true } } };
    const two = { meta: { y: { p: true, q: null }, x: 1 }, topics: ['a', 'b'], statement: 'İsrail' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe(canonicalJson(JSON.parse(JSON.stringify(two))));
  });

  test('keeps array order, drops undefined members, writes dates as ISO strings', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson({ at: new Date('2025-11-03T10:00:00Z') })).toBe('{"at":"2025-11-03T10:00:00.000Z"}');
  });

  test('sorts keys by code unit, as JSON text, and escapes like JSON.stringify', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, é: 4 })).toBe('{"B":2,"a":3,"b":1,"é":4}');
    expect(canonicalJson({ q: 'say "hi"\n' })).toBe('{"q":"say \\"hi\\"\\n"}');
  });

  test('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
