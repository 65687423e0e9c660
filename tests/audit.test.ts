import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app';
import { connectPostgres } from '../src/db/client';
import { createLogger } from '../src/shared/logger';
import { ADMIN_KEY, startTestApp, testConfig, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makeSource } from './helpers/factories';
import { auditHead, rowCounts, verifyChain } from './helpers/problems';
import { withDatabase } from './helpers/test-db';
import type { StoredEvent } from '../src/modules/audit/chain';

/*
 * SPEC §1.8 and invariant 5: every write appends one event in its own
 * transaction; seq is gap-free; hash = sha256(prevHash ‖ canonical JSON of
 * the event); the chain stays linear under concurrent writers; the database
 * refuses UPDATE, DELETE and TRUNCATE; tampering is found by verify.
 */

/** An event as GET /v1/audit/events returns it. */
type AuditEvent = StoredEvent;

const GENESIS = '0'.repeat(64);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const asAdmin = (path: string) => t.http.get(path).set('Authorization', `Bearer ${ADMIN_KEY}`);

/** Every event matching `query`, page by page through nextCursor (bounded). */
async function allEvents(query = '', limit = 200): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const qs = [`limit=${limit}`, query, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
    const res = await asAdmin(`/v1/audit/events?${qs}`);
    if (res.status !== 200) throw new Error(`GET /v1/audit/events?${qs}: ${res.status} ${res.text}`);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    events.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (cursor === null) return events;
    expect(res.body.data.length).toBe(limit);
  }
  throw new Error('pagination did not end');
}

/** Canonical JSON as SPEC §1.8 means it: keys sorted, no whitespace. Written here independently of the service. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function expectedHash(e: AuditEvent): string {
  const { prevHash, hash: _hash, ...event } = e;
  return createHash('sha256').update(prevHash, 'utf8').update(canonical(event), 'utf8').digest('hex');
}

/** The whole chain is 1..N, each event points at its predecessor and hashes to what it says. */
function expectLinearChain(events: AuditEvent[]) {
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
  events.forEach((e, i) => {
    expect(e.prevHash).toBe(i === 0 ? GENESIS : events[i - 1]!.hash);
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.hash).toBe(expectedHash(e));
  });
}

async function expectIntactChain() {
  const events = await allEvents();
  expectLinearChain(events);
  expect(await verifyChain(t)).toEqual({ ok: true, checked: events.length, firstBadSeq: null });
  return events;
}

describe('the chain under concurrent writers', () => {
  test('50 concurrent writes all succeed and leave seq 1..N, each prevHash the previous hash, verify ok', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    const source = await makeSource(t); // no text: quotes need no anchoring
    const claim = await makeClaim(t, { party: party.id, source: source.id });
    const headBefore = await auditHead(t);

    const kinds = ['party', 'claim', 'assertion'] as const;
    const writes = Array.from({ length: 50 }, (_, i) => {
      const kind = kinds[i % 3]!;
      const requestId = `concurrent-${i}`;
      const req =
        kind === 'party'
          ? editor.post('/v1/parties').send({ name: `Concurrent party ${i}`, kind: 'ORGANIZATION' })
          : kind === 'claim'
            ? editor.post('/v1/claims').send({
                statement: `Concurrent claim ${i}`,
                assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: `quote ${i}`, quoteKind: 'INDIRECT' },
              })
            : editor.post(`/v1/claims/${claim.id}/assertions`).send({
                partyId: party.id, sourceId: source.id, stance: i % 2 ? 'DENIES' : 'QUESTIONS', quote: `stance ${i}`, quoteKind: 'INDIRECT',
              });
      return req.set('X-Request-Id', requestId).then((res) => ({ i, kind, requestId, res }));
    });
    const results = await Promise.all(writes);
    for (const { res } of results) expect(res.status).toBe(201);

    const events = await expectIntactChain();
    const head = await auditHead(t);
    // A write is an event per row it changed (SPEC §1.8): a claim and its first assertion; an assertion and its claim's new state.
    const perWrite = { party: ['party.create'], claim: ['claim.create', 'assertion.create'], assertion: ['assertion.create', 'claim.update'] };
    expect(head.seq).toBe(headBefore.seq + results.reduce((n, r) => n + perWrite[r.kind].length, 0));
    expect(events).toHaveLength(head.seq);

    // The events after the head are exactly those of the 50 writes, each write's together (one transaction), carrying the request id sent.
    expect(new Set(events.slice(headBefore.seq).map((e) => e.requestId))).toEqual(new Set(results.map((r) => r.requestId)));
    for (const { kind, requestId, res } of results) {
      const mine = events.filter((e) => e.requestId === requestId);
      expect(mine.map((e) => e.action)).toEqual(perWrite[kind]);
      expect(mine.map((e) => e.seq - mine[0]!.seq)).toEqual(mine.map((_, i) => i));
      const expected =
        kind === 'party'
          ? { action: 'party.create', entityType: 'party', entityId: res.body.id }
          : kind === 'claim'
            ? { action: 'claim.create', entityType: 'claim', entityId: res.body.id }
            : { action: 'assertion.create', entityType: 'assertion', entityId: res.body.assertionId };
      expect(mine[0]).toMatchObject(expected);
      expect(mine[0]!.actorId).toEqual(expect.any(String));
    }
  });

  // Two instances of the service behind a load balancer share one PostgreSQL
  // (SPEC §4). PGlite is a single in-process database: there is no second
  // connection to race with, so this only runs against a PostgreSQL server.
  (process.env.DATABASE_URL ? test : test.skip)('two app instances on one database still keep one linear chain', async () => {
    const name = (await t.db.sql.query<{ name: string }>('SELECT current_database() AS name'))[0]!.name;
    const second = connectPostgres({ url: withDatabase(process.env.DATABASE_URL!, name), poolSize: 10 });
    try {
      const other = request(createApp({ db: second, config: testConfig(), logger: createLogger('silent') }));
      const editorKey = await t.keyFor('EDITOR');
      const headBefore = await auditHead(t);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? other : t.http).post('/v1/parties').set('Authorization', `Bearer ${editorKey}`).set('X-Request-Id', `instance-${i}`).send({ name: `Two instances ${i}`, kind: 'STATE' }),
        ),
      );
      for (const res of results) expect(res.status).toBe(201);
      expect((await auditHead(t)).seq).toBe(headBefore.seq + 40);
      await expectIntactChain();
    } finally {
      await second.close();
    }
  });
});

describe('what an event records', () => {
  test('an event carries the X-Request-Id the write was sent with, or the id the server made up', async () => {
    const editor = await t.as('EDITOR');
    const sent = await editor.post('/v1/parties').set('X-Request-Id', 'audit-trace-1').send({ name: 'Traced party', kind: 'STATE' });
    expect(sent.status).toBe(201);
    const made = await editor.post('/v1/parties').send({ name: 'Untraced party', kind: 'STATE' });
    expect(made.status).toBe(201);
    const generated = made.headers['x-request-id'];
    expect(generated).toEqual(expect.any(String));

    const [first] = (await allEvents(`entityId=${sent.body.id}`));
    expect(first).toMatchObject({ action: 'party.create', entityType: 'party', requestId: 'audit-trace-1', before: null });
    expect(first!.after).toMatchObject({ id: sent.body.id, name: 'Traced party' });
    const [second] = await allEvents(`entityId=${made.body.id}`);
    expect(second!.requestId).toBe(generated);
  });

  test('an update records before and after', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t, { name: 'Before name' });
    const res = await editor.patch(`/v1/parties/${party.id}`, { name: 'After name' }, '*').set('X-Request-Id', 'audit-patch');
    expect(res.status).toBe(200);
    const events = await allEvents(`entityId=${party.id}&action=party.update`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ requestId: 'audit-patch', before: { name: 'Before name' }, after: { name: 'After name' } });
  });

  test('a refused write appends nothing, and the next write takes the next seq (no gap)', async () => {
    const editor = await t.as('EDITOR');
    const party = await makeParty(t);
    const source = await makeSource(t, { text: 'Only these words are in the source.' });
    const head = await auditHead(t);
    const counts = await rowCounts(t);
    // Fails inside the transaction, after the claim row was inserted: the quote is not in the text.
    const refused = await editor.post('/v1/claims').send({
      statement: 'Never recorded',
      assertion: { partyId: party.id, sourceId: source.id, stance: 'AFFIRMS', quote: 'words that are absent', quoteKind: 'DIRECT' },
    });
    expect(refused.status).toBe(422);
    // Fails on a unique constraint.
    const duplicate = await editor.post('/v1/parties').send({ name: 'Duplicate slug', kind: 'STATE', slug: party.slug });
    expect(duplicate.status).toBe(409);
    expect(await auditHead(t)).toEqual(head);
    expect(await rowCounts(t)).toEqual(counts);

    const ok = await editor.post('/v1/parties').send({ name: 'After the refusals', kind: 'STATE' });
    expect(ok.status).toBe(201);
    const next = await auditHead(t);
    expect(next.seq).toBe(head.seq + 1);
    await expectIntactChain();
  });
});

describe('reading the log', () => {
  test('GET /v1/audit/events pages with an opaque cursor through every event exactly once, oldest first', async () => {
    for (let i = 0; i < 30 && (await auditHead(t)).seq < 25; i += 1) await makeParty(t);
    const all = await allEvents();
    expect(all.length).toBeGreaterThan(20);
    const paged = await allEvents('', 7);
    expect(paged).toEqual(all);
    expect(new Set(paged.map((e) => e.seq)).size).toBe(paged.length);
    const first = await asAdmin('/v1/audit/events?limit=7');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.nextCursor).not.toMatch(/^\d+$/); // opaque, not a bare seq
  });

  test('pagination is stable when events are appended between pages', async () => {
    const firstPage = await asAdmin('/v1/audit/events?limit=5');
    expect(firstPage.status).toBe(200);
    const created = await makeParty(t, { name: 'Appended mid-walk' });
    const rest: AuditEvent[] = [];
    let cursor: string | null = firstPage.body.nextCursor;
    for (let i = 0; cursor && i < 1000; i += 1) {
      const res = await asAdmin(`/v1/audit/events?limit=50&cursor=${cursor}`);
      rest.push(...res.body.data);
      cursor = res.body.nextCursor;
    }
    const walked = [...firstPage.body.data, ...rest] as AuditEvent[];
    expect(walked.map((e) => e.seq)).toEqual(Array.from({ length: walked.length }, (_, i) => i + 1));
    expect(walked[walked.length - 1]).toMatchObject({ action: 'party.create', entityId: created.id });
  });

  test('filters by entityType, entityId and action agree with the full log, page by page', async () => {
    const claim = await makeClaim(t);
    await addStance(t, claim.id, (await makeParty(t)).id, 'DENIES');
    const all = await allEvents();
    const cases: [string, (e: AuditEvent) => boolean][] = [
      ['entityType=party', (e) => e.entityType === 'party'],
      ['entityType=claim', (e) => e.entityType === 'claim'],
      [`entityId=${claim.id}`, (e) => e.entityId === claim.id],
      ['action=assertion.create', (e) => e.action === 'assertion.create'],
      ['entityType=party&action=party.update', (e) => e.entityType === 'party' && e.action === 'party.update'],
      ['action=no.such.action', () => false],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep);
      expect(await allEvents(query, 3)).toEqual(expected);
    }
    expect(all.filter((e) => e.entityId === claim.id).map((e) => e.action)).toEqual(['claim.create', 'claim.update']);
  });

  test('GET /v1/audit/head agrees with the last event and with verify', async () => {
    const all = await allEvents();
    const last = all[all.length - 1]!;
    const head = await auditHead(t);
    expect(head).toEqual({ seq: last.seq, hash: last.hash, at: last.at });
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });

  test('?include=words adds each event in plain words (those of the audit report), and the event is otherwise unchanged', async () => {
    const party = await makeParty(t, { name: 'Worded Party' });
    const claim = await makeClaim(t, { party: party.id, statement: 'The words are about this claim' });
    const qs = `entityId=${claim.id}&limit=10`;
    const plain = (await asAdmin(`/v1/audit/events?${qs}`)).body.data as AuditEvent[];
    const worded = (await asAdmin(`/v1/audit/events?${qs}&include=words`)).body.data as (AuditEvent & { words: string })[];
    expect(plain.some((e) => 'words' in e)).toBe(false);
    expect(worded.map(({ words: _w, ...e }) => e)).toEqual(plain);
    expect(worded[0]!.words).toBe("test EDITOR (EDITOR) recorded the claim 'The words are about this claim'.");
    // the search indexes the database keeps are no one's change: a version bump says so, not the vectors
    for (const e of worded) expect(e.words).not.toMatch(/vector/);
    expect((await asAdmin(`/v1/audit/events?include=everything`)).status).toBe(400);
  });

  test('the audit log is for ADMIN only', async () => {
    const editor = await t.as('EDITOR');
    for (const path of ['/v1/audit/events', '/v1/audit/verify', '/v1/audit/head']) {
      expect((await editor.get(path)).status).toBe(403);
      expect((await t.anonymous.get(path)).status).toBe(401);
    }
  });
});

describe('the database guards the log', () => {
  const errorOf = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (err) {
      return err as { code?: string; message: string };
    }
    throw new Error('the statement was not refused');
  };

  test.each([
    ['UPDATE', `UPDATE audit_event SET action = 'rewritten' WHERE seq = 2`],
    ['UPDATE of every row', `UPDATE audit_event SET after = '{"x":1}'`],
    ['DELETE', 'DELETE FROM audit_event WHERE seq = 2'],
    ['DELETE of every row', 'DELETE FROM audit_event'],
    ['TRUNCATE', 'TRUNCATE audit_event'],
  ])('%s is refused by a trigger, even for a superuser session', async (_what, sql) => {
    const head = await auditHead(t);
    const err = await errorOf(t.db.sql.exec(sql));
    expect(err.code).toBe('CP003');
    expect(err.message).toMatch(/append-only/);
    expect(await auditHead(t)).toEqual(head);
    await expectIntactChain();
  });

  test('an inserted event that does not extend the head is refused', async () => {
    const head = await auditHead(t);
    const forged = (seq: number, prev: string) =>
      t.db.sql.query(
        `INSERT INTO audit_event (seq, at, action, entity_type, entity_id, prev_hash, hash) VALUES ($1, now(), 'forged', 'x', 'x', $2, $3)`,
        [seq, prev, 'f'.repeat(64)],
      );
    expect((await errorOf(forged(head.seq + 5, head.hash!))).code).toBe('CP004'); // a gap
    expect((await errorOf(forged(head.seq + 1, GENESIS))).code).toBe('CP004'); // a fork
    expect(await auditHead(t)).toEqual(head);
  });

  test('the service, going through Prisma, cannot rewrite it either', async () => {
    const err = await errorOf(t.db.prisma.auditEvent.update({ where: { seq: 1n }, data: { action: 'rewritten' } }));
    expect(`${err.code} ${err.message} ${JSON.stringify(err, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`).toMatch(/CP003|append-only/);
    await expectIntactChain();
  });
});

describe('tampering with triggers disabled is detected', () => {
  /** Runs statements as one script with triggers off (session_replication_role = replica), as a superuser could. */
  const asReplica = (sql: string) => t.db.sql.exec(`SET session_replication_role = replica; ${sql}; SET session_replication_role = DEFAULT;`);

  test.each([
    ['its payload (after)', `after = '{"x":1}'`],
    ['its action', `action = 'claim.delete'`],
    ['its request id', `request_id = 'someone-else'`],
    ['its time', `at = at - interval '1 day'`],
    ['its hash (recomputed by a forger without the right input)', `hash = md5(hash) || md5(hash)`],
  ])('rewriting %s of event K: verify reports firstBadSeq = K; restoring it verifies again', async (_what, assignment) => {
    const head = await auditHead(t);
    const k = Math.floor(head.seq / 2);
    await asReplica(`CREATE TABLE audit_backup AS SELECT * FROM audit_event WHERE seq = ${k}`);
    try {
      await asReplica(`UPDATE audit_event SET ${assignment} WHERE seq = ${k}`);
      expect(await verifyChain(t)).toEqual({ ok: false, checked: k, firstBadSeq: k });
    } finally {
      await asReplica(`DELETE FROM audit_event WHERE seq = ${k}; INSERT INTO audit_event SELECT * FROM audit_backup; DROP TABLE audit_backup`);
    }
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });

  test('the exact statement from the runbook (one exec) is caught at that seq', async () => {
    const head = await auditHead(t);
    const k = 3;
    await asReplica(`CREATE TABLE audit_backup AS SELECT * FROM audit_event WHERE seq = ${k}`);
    try {
      await t.db.sql.exec(`SET session_replication_role = replica; UPDATE audit_event SET after = '{"x":1}' WHERE seq = ${k}; SET session_replication_role = DEFAULT;`);
      const verdict = await verifyChain(t);
      expect(verdict).toEqual({ ok: false, checked: k, firstBadSeq: k });
      // The head still looks fine: only verify recomputes the chain.
      expect(await auditHead(t)).toEqual(head);
    } finally {
      await asReplica(`DELETE FROM audit_event WHERE seq = ${k}; INSERT INTO audit_event SELECT * FROM audit_backup; DROP TABLE audit_backup`);
    }
    expect((await verifyChain(t)).ok).toBe(true);
  });

  test('deleting event K: verify reports firstBadSeq = K; putting it back verifies again', async () => {
    const head = await auditHead(t);
    const k = Math.floor(head.seq / 3);
    await asReplica(`CREATE TABLE audit_backup AS SELECT * FROM audit_event WHERE seq = ${k}; DELETE FROM audit_event WHERE seq = ${k}`);
    try {
      const verdict = await verifyChain(t);
      expect(verdict.ok).toBe(false);
      expect(verdict.firstBadSeq).toBe(k);
    } finally {
      await asReplica(`INSERT INTO audit_event SELECT * FROM audit_backup; DROP TABLE audit_backup`);
    }
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });

  test('swapping the payloads of two events is caught at the first of them', async () => {
    const head = await auditHead(t);
    const k = 4;
    await asReplica(`CREATE TABLE audit_backup AS SELECT * FROM audit_event WHERE seq IN (${k}, ${k + 1})`);
    try {
      await asReplica(
        `UPDATE audit_event SET after = (SELECT after FROM audit_backup WHERE seq = ${k + 1}) WHERE seq = ${k};
         UPDATE audit_event SET after = (SELECT after FROM audit_backup WHERE seq = ${k}) WHERE seq = ${k + 1}`,
      );
      expect(await verifyChain(t)).toEqual({ ok: false, checked: k, firstBadSeq: k });
    } finally {
      await asReplica(`DELETE FROM audit_event WHERE seq IN (${k}, ${k + 1}); INSERT INTO audit_event SELECT * FROM audit_backup; DROP TABLE audit_backup`);
    }
    expect(await verifyChain(t)).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
    await expectIntactChain();
  });
});
