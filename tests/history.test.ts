import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalJson } from '../src/shared/canonical-json';
import { replayToState } from '../src/modules/history/replay';
import { liveState } from '../src/modules/history/tables';
import { startTestApp, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * The chain is the history (SPEC §1.8): each event holds whole rows, so the
 * ledger can be rebuilt from it — a claim's history listed, its dossier as
 * it stood at any instant.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const dossier = async (id: string, asOf?: string) => {
  const admin = await t.as('ADMIN');
  return admin.get(`/v1/claims/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);
};
const instant = async () => {
  await sleep(5);
  const now = new Date().toISOString();
  await sleep(5);
  return now;
};

describe('a claim created with its first assertion', () => {
  test('writes claim.create and assertion.create, each holding the whole row', async () => {
    const admin = await t.as('ADMIN');
    const subject = await makeParty(t);
    const claim = await makeClaim(t, { subjects: [subject.id] });
    const res = await admin.get(`/v1/claims/${claim.id}/history`);
    expect(res.status).toBe(200);
    const actions = res.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['claim.create', 'claim_subject.create', 'assertion.create']);
    const assertion = res.body.data[2];
    expect(assertion.after).toMatchObject({ claim_id: claim.id, stance: 'AFFIRMS', quote_kind: 'INDIRECT', withdrawn_at: null });
    expect(typeof assertion.after.quote).toBe('string');
    expect(res.body.data[0].after).toMatchObject({ id: claim.id, version: 1, merged_into_id: null });
    for (const e of res.body.data) expect(e).toEqual(expect.objectContaining({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }));
  });
});

describe('GET /v1/claims/{id}?asOf=', () => {
  test('answers the dossier exactly as it stood at each instant, through a denial, a withdrawal and a merge', async () => {
    const editor = await t.as('EDITOR');
    const claim = await makeClaim(t);
    const t1 = await instant();
    const atT1 = (await dossier(claim.id)).body;
    const denier = await makeParty(t);
    const denial = await addStance(t, claim.id, denier.id, 'DENIES');
    const t2 = await instant();
    const atT2 = (await dossier(claim.id)).body;
    expect(atT2.contestation).toBe('contested');
    const other = await makeParty(t);
    await addStance(t, claim.id, other.id, 'AFFIRMS');
    expect((await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'wrong party' })).status).toBe(200);
    const t3 = await instant();
    const atT3 = (await dossier(claim.id)).body;
    const survivor = await makeClaim(t);
    expect((await editor.post(`/v1/claims/${claim.id}/merge`).send({ intoClaimId: survivor.id })).status).toBe(200);
    const t4 = await instant();
    const survivorAtT4 = (await dossier(survivor.id)).body;

    for (const [at, expected] of [[t1, atT1], [t2, atT2], [t3, atT3]] as const) {
      const res = await dossier(claim.id, at);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    }
    expect((await dossier(survivor.id, t4)).body).toEqual(survivorAtT4);
    const merged = await dossier(claim.id, t4);
    expect(merged.status).toBe(308);
    expect(merged.headers.location).toBe(`/v1/claims/${survivor.id}?asOf=${encodeURIComponent(t4)}`);
    expect((await dossier(claim.id, '2000-01-01')).status).toBe(404);
    expect((await dossier(claim.id, 'yesterday')).status).toBe(400);
  });
  test('a stance moved by a merge and withdrawn afterwards stays withdrawn in the rebuilt dossier', async () => {
    // The duplicate's events are read after the survivor's: folded out of seq order, the
    // older "moved" row overwrote the newer "withdrawn" one and the denial came back.
    const editor = await t.as('EDITOR');
    const survivor = await makeClaim(t);
    const duplicate = await makeClaim(t);
    const denier = await makeParty(t);
    const denial = await addStance(t, duplicate.id, denier.id, 'DENIES');
    expect((await editor.post(`/v1/claims/${duplicate.id}/merge`).send({ intoClaimId: survivor.id })).status).toBe(200);
    expect((await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'not said' })).status).toBe(200);
    const live = (await dossier(survivor.id)).body;
    expect(live.positions.denies).toEqual([]);
    const rebuilt = await dossier(survivor.id, await instant());
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toEqual(live);
  });
  test('a published verdict written by two reviewers names both in the rebuilt dossier, as in the live one', async () => {
    const admin = await t.as('ADMIN');
    const reviewer = await t.as('REVIEWER');
    const issued = await admin.post('/v1/keys').send({ name: `second reviewer ${Date.now()}`, role: 'REVIEWER' });
    expect(issued.status).toBe(201);
    const colleague = (r: import('supertest').Test) => r.set('Authorization', `Bearer ${issued.body.key}`);
    const claim = await makeClaim(t);
    const newsroom = await makeParty(t, { kind: 'MEDIA' });
    const created = await reviewer.post(`/v1/claims/${claim.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 'first words' });
    expect(created.status).toBe(201);
    const etag = (await reviewer.get(`/v1/reviews/${created.body.id}`)).headers.etag as string;
    const edited = await colleague(t.http.patch(`/v1/reviews/${created.body.id}`).set('If-Match', etag)).send({ summary: 'the colleague’s words' });
    expect(edited.status).toBe(200);
    expect((await reviewer.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'IN_REVIEW' })).status).toBe(200);
    expect((await admin.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);

    const live = (await dossier(claim.id)).body;
    expect(live.reviews[0].contributors.map((c: { name: string }) => c.name)).toEqual(['test REVIEWER', issued.body.name]);
    const rebuilt = await dossier(claim.id, await instant());
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toEqual(live);
  });
  test('a claim’s subjects come in the same order in the rebuilt dossier as in the live one', async () => {
    // Named newest first, the subjects were recorded (and replayed) in the opposite order to the one the dossier lists them in.
    const [older, newer] = [await makeParty(t), await makeParty(t)];
    const claim = await makeClaim(t, { subjects: [newer.id, older.id] });
    const live = (await dossier(claim.id)).body;
    expect(live.subjects.map((s: { id: string }) => s.id)).toEqual([older.id, newer.id].sort());
    const rebuilt = await dossier(claim.id, await instant());
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toEqual(live);
  });
});

describe('GET /v1/claims/{id}/history', () => {
  test('pages through the claim’s events in chain order, with the events of a merged duplicate', async () => {
    const admin = await t.as('ADMIN');
    const editor = await t.as('EDITOR');
    const claim = await makeClaim(t);
    for (let i = 0; i < 3; i += 1) await addStance(t, claim.id, (await makeParty(t)).id, 'QUESTIONS');
    const duplicate = await makeClaim(t);
    expect((await editor.post(`/v1/claims/${duplicate.id}/merge`).send({ intoClaimId: claim.id })).status).toBe(200);
    const seen: { seq: number; entityId: string; action: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.get(`/v1/claims/${claim.id}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen.filter((e) => e.action === 'assertion.create')).toHaveLength(5);
    expect(seen.some((e) => e.action === 'claim.merge' && e.entityId === duplicate.id)).toBe(true);
    expect(seen.filter((e) => e.action === 'assertion.update')).toHaveLength(1); // the duplicate's assertion, moved
    expect((await (await t.as('EDITOR')).get(`/v1/claims/${claim.id}/history`)).status).toBe(403);
    expect((await admin.get(`/v1/claims/019a4a10-0000-7000-8000-00000000ffff/history`)).status).toBe(404);
  });
});

test('replaying the chain rebuilds every ledger table as it is', async () => {
  const { state, stats } = await replayToState(t.db.prisma);
  expect(stats.firstInconsistentSeq).toBeNull();
  const live = await liveState(t.db.prisma);
  for (const [table, rows] of live) {
    const replayed = state.get(table)!;
    expect([...replayed.keys()].sort()).toEqual([...rows.keys()].sort());
    for (const [id, row] of rows) expect(canonicalJson(replayed.get(id))).toBe(canonicalJson(row));
  }
});

describe('the audit report in words', () => {
  test('tells who recorded which party’s stance on which claim, with the quote, in JSON, CSV and HTML', async () => {
    const admin = await t.as('ADMIN');
    const israel = await makeParty(t, { name: 'Israel' });
    const claim = await makeClaim(t, { statement: 'Israel’s war in Gaza is a genocide' });
    await addStance(t, claim.id, israel.id, 'DENIES');
    const sentence = /^test EDITOR \(EDITOR\) recorded that Israel denies 'Israel’s war in Gaza is a genocide', quoting “stance .+”\.$/;
    const json = await admin.get('/v1/reports/audit');
    const words = json.body.events.map((e: { words: string }) => e.words);
    expect(words.filter((w: string) => sentence.test(w))).toHaveLength(1);
    expect(words).toContain('test EDITOR (EDITOR) recorded the claim \'Israel’s war in Gaza is a genocide\'.');
    expect(json.body.checkpoint).toMatchObject({ seq: json.body.head.seq, hash: json.body.head.hash, note: expect.stringMatching(/^counterpoint\.test\/audit\n/) });
    const csv = await admin.get('/v1/reports/audit?format=csv');
    expect(csv.text).toMatch(/,"test EDITOR \(EDITOR\) recorded that Israel denies 'Israel’s war in Gaza is a genocide', quoting “stance [^”]+”\."\r\n/);
    const page = await admin.get('/v1/reports/audit?format=html');
    expect(page.text).toContain('<th>Seq</th><th>When (UTC)</th><th>What happened</th>');
    expect(page.text).not.toContain('&lt;th&gt;');
    expect(page.text).toMatch(/<td>test EDITOR \(EDITOR\) recorded that Israel denies &#39;Israel’s war in Gaza is a genocide&#39;, quoting “stance [^”]+”\.<\/td>/);
  });
});
