import { eventHash, GENESIS_HASH, type StoredEvent } from './chain';
import { NoteError, openNote, parseCheckpointText, parseVerifierKey, type Checkpoint, type Verifier } from './signed-note';

/*
 * Checks an audit report without the database: every event's hash and
 * link, and that each signed checkpoint lies on the report's chain. A
 * checkpoint was published outside the database (in yesterday's report, on
 * the newsroom's site), so someone who rewrote the chain before it — even
 * with superuser access, recomputing every later hash — cannot make the
 * report agree with it.
 */
export type NamedNote = { name: string; note: string };
export type OfflineResult = { ok: boolean; firstBadSeq: number | null; lines: string[] };

class Failure extends Error {
  constructor(readonly seq: number | null, message: string) {
    super(message);
  }
}

type Header = { report?: string; head?: { seq: number; hash: string | null }; to?: string | null; checkpoint?: { note: string; publicKey: string } | null };

function readCheckpoint(n: NamedNote, verifier: Verifier): Checkpoint {
  try {
    return parseCheckpointText(openNote(n.note, verifier));
  } catch (err) {
    throw new Failure(null, `${n.name}: ${err instanceof NoteError ? err.message : String(err)}`);
  }
}

export async function verifyReportStream(
  lines: AsyncIterable<string>,
  opts: { checkpoints: NamedNote[]; publicKey?: string },
): Promise<OfflineResult> {
  const out: string[] = [];
  try {
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    let header: Header;
    try {
      if (first.done || !first.value.endsWith('"events":[')) throw new Error();
      header = JSON.parse(`${first.value}]}`) as Header;
    } catch {
      throw new Failure(null, 'not a counterpoint audit report in JSON (download it with format=json, as written by the service)');
    }
    if (header.report !== 'audit' || !header.head) throw new Failure(null, 'not a counterpoint audit report');

    let verifier: Verifier;
    try {
      verifier = parseVerifierKey(opts.publicKey ?? header.checkpoint?.publicKey ?? '');
    } catch (err) {
      throw new Failure(null, `public key: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!opts.publicKey) {
      out.push(`warning: no --public-key given; signatures are checked against the key the report names (${verifier.name}), which proves nothing about who signed — pass the key the newsroom publishes`);
    }
    const checkpoints = opts.checkpoints.map((n) => ({ name: n.name, ...readCheckpoint(n, verifier), covered: false }));
    for (const c of checkpoints) out.push(`${c.name}: signature by ${verifier.name} ok (seq ${c.seq}, signed for the head at ${c.at ?? 'an empty chain'})`);
    if (header.checkpoint) {
      const own = { name: 'the report’s own checkpoint', ...readCheckpoint({ name: 'the report’s own checkpoint', note: header.checkpoint.note }, verifier), covered: false };
      if (own.seq !== header.head.seq || own.hash !== (header.head.hash ?? GENESIS_HASH)) {
        throw new Failure(own.seq, `the report’s own checkpoint (seq ${own.seq}) is not the head it claims (seq ${header.head.seq})`);
      }
      checkpoints.push(own);
    }

    let count = 0;
    let firstSeq: number | null = null;
    let last: { seq: number; hash: string } | null = null;
    let trailer: string | null = null;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const line = next.value;
      if (line.startsWith(']')) {
        trailer = line;
        break;
      }
      let e: StoredEvent;
      try {
        e = JSON.parse(line.startsWith(',') ? line.slice(1) : line) as StoredEvent;
      } catch {
        throw new Failure(last ? last.seq + 1 : null, `line ${count + 2} is not an event`);
      }
      if (last === null) {
        firstSeq = e.seq;
        if (e.seq === 1 && e.prevHash !== GENESIS_HASH) throw new Failure(1, 'seq 1 does not start from the genesis hash');
      } else if (e.seq !== last.seq + 1) {
        throw new Failure(last.seq + 1, `seq ${last.seq + 1} is missing (the next event is seq ${e.seq})`);
      } else if (e.prevHash !== last.hash) {
        throw new Failure(e.seq, `seq ${e.seq} does not link to seq ${last.seq} (prevHash differs from its hash)`);
      }
      const { seq, at, actorId, action, entityType, entityId, requestId, before, after } = e;
      if (eventHash(e.prevHash, { seq, at, actorId, action, entityType, entityId, requestId, before: before ?? null, after: after ?? null }) !== e.hash) {
        throw new Failure(e.seq, `its hash does not match its content`);
      }
      for (const c of checkpoints) {
        const onChain = c.seq === e.seq ? e.hash : c.seq === e.seq - 1 ? e.prevHash : null;
        if (onChain === null) continue;
        if (onChain !== c.hash) {
          throw new Failure(c.seq, `the report’s chain does not pass through ${c.name} (signed hash ${c.hash.slice(0, 16)}…, the report has ${onChain.slice(0, 16)}…): an event at or before seq ${c.seq} was rewritten after that checkpoint was signed`);
        }
        c.covered = true;
      }
      last = { seq: e.seq, hash: e.hash };
      count += 1;
    }
    if (trailer === null) throw new Failure(last ? last.seq + 1 : null, 'the report ends early (no closing line): it was cut off');
    for (const c of checkpoints) {
      if (c.covered || (c.seq === 0 && firstSeq === 1)) continue;
      if (c.seq === 0 && count === 0) continue;
      const span = last ? `seq ${firstSeq}–${last.seq}` : 'no events';
      throw new Failure(c.seq, `${c.name} (seq ${c.seq}) is outside the report (${span}); download a report that covers it`);
    }
    if (!header.to && last && (last.seq !== header.head.seq || last.hash !== header.head.hash)) {
      throw new Failure(last.seq, `the report’s last event (seq ${last.seq}) is not the head it announces (seq ${header.head.seq})`);
    }
    out.push(`chain: ${count} events${last ? ` (seq ${firstSeq}–${last.seq})` : ''}, every hash and link checked${firstSeq !== null && firstSeq > 1 ? `; the report starts at seq ${firstSeq}, so the events before it are vouched for only by a checkpoint at seq ${firstSeq - 1} or later` : ''}`);
    for (const c of checkpoints) out.push(`${c.name}: seq ${c.seq} lies on the report’s chain`);
    out.push('OK');
    return { ok: true, firstBadSeq: null, lines: out };
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    out.push(`FAILED${err.seq !== null ? ` at seq ${err.seq}` : ''}: ${err.message}`);
    return { ok: false, firstBadSeq: err.seq, lines: out };
  }
}
