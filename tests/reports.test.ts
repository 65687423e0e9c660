import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makeSource } from './helpers/factories';

/*
 * Reports (SPEC §3.2): the audit report (ADMIN) and the claims report
 * (READER), each as JSON, CSV (RFC 4180, formula-safe) and escaped HTML,
 * streamed.
 */

let t: TestApp;
let admin: Client;
let reader: Client;
let contested: { id: string };
let counter: { id: string };
let israel: { id: string; slug: string };

/** A minimal RFC 4180 parser: enough to read back what the service wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ''), (i += 1);
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const HOSTILE = '=HYPERLINK("http://evil","x"), said <b>"someone"</b>\nand more';

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('ADMIN');
  reader = await t.as('READER');
  const turkiye = await makeParty(t, { name: 'Türkiye' });
  israel = await makeParty(t, { name: 'Israel' });
  const newsroom = await makeParty(t, { name: 'Desk <Newsroom>', kind: 'MEDIA' });
  contested = await makeClaim(t, { party: turkiye.id, statement: 'Israel is regularly violating the Gaza ceasefire', topics: ['ceasefire-violations'], assertedAt: '2025-11-03' });
  await addStance(t, contested.id, israel.id, 'DENIES', { assertedAt: '2025-11-04' });
  counter = await makeClaim(t, { party: israel.id, statement: 'Hamas has not returned the remaining hostage bodies', topics: ['hostage-remains'], assertedAt: '2025-11-03' });
  const assertionId = (await reader.get(`/v1/claims/${counter.id}`)).body.positions.affirms[0].assertionId;
  const editor = await t.as('EDITOR');
  expect((await editor.post(`/v1/claims/${counter.id}/relations`).send({ type: 'COUNTERS', targetClaimId: contested.id, basis: 'PARTY', assertionId })).status).toBe(201);
  await makeClaim(t, { party: turkiye.id, statement: HOSTILE, topics: ['other'], assertedAt: '2024-01-01' });
  const reviewer = await t.as('REVIEWER');
  const review = await reviewer.post(`/v1/claims/${contested.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'DISPUTED', ratingLabel: '=Tartışmalı', summary: 'Both sides disagree.' });
  await reviewer.post(`/v1/reviews/${review.body.id}/transitions`).send({ to: 'IN_REVIEW' });
  expect((await admin.post(`/v1/reviews/${review.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
  await makeSource(t, { title: HOSTILE });
});
afterAll(() => t.close());

describe('GET /v1/reports/audit', () => {
  it('is for ADMIN only', async () => {
    expect((await reader.get('/v1/reports/audit')).status).toBe(403);
    expect((await (await t.as('REVIEWER')).get('/v1/reports/audit')).status).toBe(403);
  });

  it('lists every event with actor, action and entity, the head at report time and the chain verification (JSON)', async () => {
    const head = (await admin.get('/v1/audit/head')).body;
    const res = await admin.get('/v1/reports/audit');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-audit-head-hash']).toBe(head.hash);
    expect(res.body.head).toMatchObject({ seq: head.seq, hash: head.hash });
    expect(res.body.events).toHaveLength(head.seq);
    expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: head.seq }, (_, i) => i + 1));
    expect(res.body.events.filter((e: { action: string }) => e.action === 'review.transition').map((e: { actor: { name: string } }) => e.actor.name)).toEqual(['test REVIEWER', 'Administrator (ADMIN_API_KEY)']);
    expect(res.body.verification).toEqual({ ok: true, checked: head.seq, firstBadSeq: null });
  });

  it('limits the events to the period but still verifies the whole chain', async () => {
    const events = (await admin.get('/v1/audit/events?limit=200')).body.data as { seq: number; at: string }[];
    const from = events[3]!.at;
    const to = events[5]!.at;
    const res = await admin.get(`/v1/reports/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    const expected = events.filter((e) => e.at >= from && e.at <= to).map((e) => e.seq);
    expect(res.body.events.map((e: { seq: number }) => e.seq)).toEqual(expected);
    expect(res.body.verification.checked).toBe(res.body.head.seq);
  });

  it('is a formula-safe CSV with the verification after the table', async () => {
    const res = await admin.get('/v1/reports/audit?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-report-.*\.csv"$/);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(['seq', 'at', 'actor_id', 'actor_name', 'action', 'entity_type', 'entity_id', 'request_id', 'hash', 'words']);
    const blank = rows.findIndex((r) => r.length === 1 && r[0] === '');
    const events = rows.slice(1, blank);
    expect(events.length).toBe(Number(res.headers['x-audit-head-seq']));
    expect(rows[blank + 1]).toEqual(['chain_ok', 'checked', 'first_bad_seq', 'head_seq', 'head_hash', 'checkpoint']);
    expect(rows[blank + 2]).toEqual(['true', String(events.length), '', String(events.length), res.headers['x-audit-head-hash'], expect.stringMatching(/^counterpoint\.test\/audit\n/)]);
  });

  it('is a printable HTML page', async () => {
    const res = await admin.get('/v1/reports/audit?format=html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toMatch(/^<!DOCTYPE html>/);
    expect(res.text).toContain('Chain verification: intact');
    expect(res.text).toContain('<td>review.transition</td>');
    expect(res.text.trimEnd()).toMatch(/<\/html>$/);
  });

  it('reports a broken chain', async () => {
    // Tampering needs the triggers off, as only a superuser (or a restore) could do.
    const fresh = await startTestApp();
    try {
      const a = await fresh.as('ADMIN');
      await makeParty(fresh);
      if (fresh.db.kind === 'postgres') {
        await fresh.db.sql.exec(`SET session_replication_role = replica; UPDATE audit_event SET action = 'tampered' WHERE seq = 2; SET session_replication_role = origin;`);
      } else {
        await fresh.db.sql.exec(`ALTER TABLE audit_event DISABLE TRIGGER USER; UPDATE audit_event SET action = 'tampered' WHERE seq = 2; ALTER TABLE audit_event ENABLE TRIGGER USER;`);
      }
      const res = await a.get('/v1/reports/audit');
      expect(res.body.verification).toMatchObject({ ok: false, firstBadSeq: 2 });
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad parameters (400)', async () => {
    expect((await admin.get('/v1/reports/audit?format=pdf')).status).toBe(400);
    expect((await admin.get('/v1/reports/audit?from=yesterday')).status).toBe(400);
  });
});

describe('GET /v1/reports/claims', () => {
  it('is open to READER and refused without a key', async () => {
    expect((await t.anonymous.get('/v1/reports/claims')).status).toBe(401);
    expect((await reader.get('/v1/reports/claims')).status).toBe(200);
  });

  it('lists claims with positions, counter-claims and published verdicts (JSON)', async () => {
    const res = await reader.get('/v1/reports/claims?topic=ceasefire-violations');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    const [claim] = res.body.claims;
    expect(claim.statement).toBe('Israel is regularly violating the Gaza ceasefire');
    expect(claim.positions.affirms[0].party.name).toBe('Türkiye');
    expect(claim.positions.denies[0].party.name).toBe('Israel');
    expect(claim.counterClaims[0]).toMatchObject({ relation: 'COUNTERS', direction: 'incoming', by: { name: 'Israel' }, claim: { id: counter.id } });
    expect(claim.reviews[0]).toMatchObject({ rating: 'DISPUTED', ratingLabel: '=Tartışmalı', reviewer: { name: 'Desk <Newsroom>' } });
    expect(claim.history).toBeUndefined();
  });

  it('filters by party and by the period the words were said in', async () => {
    const byParty = await reader.get(`/v1/reports/claims?party=${israel.slug}`);
    expect(byParty.body.claims.map((c: { id: string }) => c.id).sort()).toEqual([contested.id, counter.id].sort());
    const period = await reader.get('/v1/reports/claims?from=2024-01-01&to=2024-12-31');
    expect(period.body.claims.map((c: { statement: string }) => c.statement)).toEqual([HOSTILE]);
    const nobody = await reader.get('/v1/reports/claims?party=no-such-party');
    expect(nobody.status).toBe(422);
    expect(nobody.body).toMatchObject({ type: '/problems/unknown-party', errors: [{ path: 'party', message: 'no such party' }] });
  });

  it('is a CSV whose hostile cells are quoted and defused', async () => {
    const res = await reader.get('/v1/reports/claims?format=csv');
    expect(res.status).toBe(200);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(['claim_id', 'statement', 'topics', 'contestation', 'affirms', 'denies', 'questions', 'retracts', 'counter_claims', 'verdicts', 'attributed_summary']);
    expect(rows).toHaveLength(4);
    const hostile = rows.find((r) => r[1]!.includes('HYPERLINK'))!;
    expect(hostile[1]).toBe(`'${HOSTILE}`);
    const contestedRow = rows.find((r) => r[0] === contested.id)!;
    expect(contestedRow.slice(3, 6)).toEqual(['contested', 'Türkiye', 'Israel']);
    expect(contestedRow[8]).toContain('Hamas has not returned the remaining hostage bodies');
    expect(contestedRow[9]).toBe('Desk <Newsroom>: DISPUTED “=Tartışmalı”');
    // Raw text: the hostile statement starts a quoted cell with the defusing quote.
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil"",""x""), said <b>""someone""</b>\nand more"`);
  });

  it('is an escaped, printable HTML page', async () => {
    const res = await reader.get('/v1/reports/claims?format=html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).not.toContain('<b>"someone"</b>');
    expect(res.text).toContain('&lt;b&gt;&quot;someone&quot;&lt;/b&gt;');
    expect(res.text).toContain('Desk &lt;Newsroom&gt;: DISPUTED');
    expect(res.text).toContain('3 claims.');
  });
});
