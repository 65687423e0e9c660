import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { translateDatabaseError } from '../src/db/errors';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makeSource } from './helpers/factories';

/*
 * Issue 9, points 7–11: writes lock, then read; the database refuses what
 * would rewrite history; the second pair of eyes counts everyone who wrote a
 * review; ETags follow what the answer shows; a verdict keeps the words it
 * judged. Races need a real PostgreSQL (PGlite has one connection).
 */

let t: TestApp;
let editor: Client;
let reader: Client;
let reviewer: Client;
let admin: Client;
let newsroom: { id: string };

const sql = (text: string, params?: unknown[]) => t.db.sql.query<Record<string, unknown>>(text, params);
const onPostgres = Boolean(process.env.DATABASE_URL);
const raceTest = onPostgres ? test : test.skip;

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  reviewer = await t.as('REVIEWER');
  admin = await t.as('ADMIN');
  newsroom = await makeParty(t, { kind: 'MEDIA' });
});
afterAll(() => t.close());

/** A connection of the test's own that holds the row lock of `claimId` until released. */
async function holdClaimLock(claimId: string) {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM claim WHERE id = $1 FOR UPDATE', [claimId]);
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Waits until `n` backends of this database wait on a lock (requests queued behind the held row). */
async function waitForLockWaiters(n: number) {
  for (let i = 0; i < 200; i += 1) {
    const [row] = await sql(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if ((row!.n as number) >= n) return;
    await sleep(25);
  }
  throw new Error(`${n} lock waiters never appeared`);
}

const assertionBody = async (partyId: string) => {
  const quote = `queued ${randomUUID()}`;
  const source = await makeSource(t, { text: `Said: ${quote}.` });
  return { partyId, sourceId: source.id, stance: 'DENIES', quote, quoteKind: 'INDIRECT' };
};

describe('point 7: lock, then read', () => {
  raceTest('an assertion queued behind a merge is redirected (308), never lands on the merged claim', async () => {
    const party = await makeParty(t);
    const dup = await makeClaim(t);
    const survivor = await makeClaim(t);
    const body = await assertionBody(party.id);
    const lock = await holdClaimLock(dup.id);
    const merge = editor.post(`/v1/claims/${dup.id}/merge`).send({ intoClaimId: survivor.id }).then((r) => r);
    await waitForLockWaiters(1);
    const add = editor.post(`/v1/claims/${dup.id}/assertions`).send(body).then((r) => r);
    await waitForLockWaiters(2);
    await lock.release();
    const [merged, added] = await Promise.all([merge, add]);
    expect(merged.status).toBe(200);
    expect(added.status).toBe(308);
    expect(added.headers.location).toBe(`/v1/claims/${survivor.id}/assertions`);
    const [row] = await sql('SELECT count(*)::int AS n FROM assertion WHERE claim_id = $1 AND withdrawn_at IS NULL', [dup.id]);
    expect(row!.n).toBe(0);
  });

  raceTest('a relation queued behind a merge of its claim is redirected, not drawn from the merged claim', async () => {
    const dup = await makeClaim(t);
    const survivor = await makeClaim(t);
    const other = await makeClaim(t);
    const lock = await holdClaimLock(dup.id);
    const merge = editor.post(`/v1/claims/${dup.id}/merge`).send({ intoClaimId: survivor.id }).then((r) => r);
    await waitForLockWaiters(1);
    const relate = editor
      .post(`/v1/claims/${dup.id}/relations`)
      .send({ targetClaimId: other.id, type: 'SUPPORTS', basis: 'EDITORIAL', note: 'queued' })
      .then((r) => r);
    await waitForLockWaiters(2);
    await lock.release();
    const [merged, related] = await Promise.all([merge, relate]);
    expect(merged.status).toBe(200);
    expect(related.status).toBe(308);
    const [row] = await sql('SELECT count(*)::int AS n FROM claim_relation WHERE source_claim_id = $1', [dup.id]);
    expect(row!.n).toBe(0);
  });

  raceTest('of two crossed merges, the loser gets 409 and no cycle is recorded', async () => {
    const a = await makeClaim(t);
    const b = await makeClaim(t);
    const lock = await holdClaimLock([a.id, b.id].sort()[0]!);
    const ab = editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id }).then((r) => r);
    await waitForLockWaiters(1);
    const ba = editor.post(`/v1/claims/${b.id}/merge`).send({ intoClaimId: a.id }).then((r) => r);
    await waitForLockWaiters(2);
    await lock.release();
    const statuses = (await Promise.all([ab, ba])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const rows = await sql('SELECT id::text, merged_into_id::text AS m FROM claim WHERE id IN ($1, $2)', [a.id, b.id]);
    expect(rows.filter((r) => r.m !== null)).toHaveLength(1);
  });

  test('the database refuses a self-merge, a merge into a merged claim and an active assertion on a merged claim', async () => {
    const a = await makeClaim(t);
    const b = await makeClaim(t);
    const c = await makeClaim(t);
    await expect(sql('UPDATE claim SET merged_into_id = id WHERE id = $1', [a.id])).rejects.toThrow(/claim_not_merged_into_itself/);
    expect((await editor.post(`/v1/claims/${a.id}/merge`).send({ intoClaimId: b.id })).status).toBe(200);
    // b -> a would close a cycle (a is merged into b); c -> a would chain onto a merged claim.
    await expect(sql('UPDATE claim SET merged_into_id = $2 WHERE id = $1', [b.id, a.id])).rejects.toThrow(/itself merged/);
    await expect(sql('UPDATE claim SET merged_into_id = $2 WHERE id = $1', [c.id, a.id])).rejects.toThrow(/itself merged/);
    const [moved] = await sql('SELECT id::text FROM assertion WHERE claim_id = $1 LIMIT 1', [b.id]);
    const err = await sql('UPDATE assertion SET claim_id = $2 WHERE id = $1', [moved!.id, a.id]).catch((e: unknown) => e);
    expect(String(err)).toMatch(/moves only with a merge|merged into/);
    expect(translateDatabaseError(err)).toMatchObject({ code: 'assertion-immutable' });
  });
});

describe('point 8: history rows are not rewritten (database level)', () => {
  test('an assertion’s quote, stance, party, source and speaker cannot change; its withdrawal is written once', async () => {
    const claim = await makeClaim(t);
    const second = await addStance(t, claim.id, (await makeParty(t)).id, 'DENIES');
    const id = second.assertionId;
    const otherParty = await makeParty(t);
    const otherSource = await makeSource(t);
    for (const [column, value] of [
      ['quote', 'rewritten'],
      ['stance', 'AFFIRMS'],
      ['quote_kind', 'DIRECT'],
      ['party_id', otherParty.id],
      ['source_id', otherSource.id],
      ['anchor_start', '0'],
    ] as const) {
      const err = await sql(`UPDATE assertion SET ${column} = $2 WHERE id = $1`, [id, value]).catch((e: unknown) => e);
      expect(String(err)).toMatch(/only its withdrawal may be recorded/);
      expect(translateDatabaseError(err)).toMatchObject({ code: 'assertion-immutable' });
    }
    expect((await editor.post(`/v1/assertions/${id}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
    await expect(sql("UPDATE assertion SET withdrawn_reason = 'another story' WHERE id = $1", [id])).rejects.toThrow(/already withdrawn/);
    await expect(sql('UPDATE assertion SET withdrawn_at = NULL, withdrawn_reason = NULL WHERE id = $1', [id])).rejects.toThrow(/already withdrawn/);
    const [row] = await sql('SELECT quote, stance::text, withdrawn_reason FROM assertion WHERE id = $1', [id]);
    expect(row).toMatchObject({ stance: 'DENIES', withdrawn_reason: 'misattributed' });
  });

  test('a published review is not sent back, and its evidence is fixed', async () => {
    const claim = await makeClaim(t);
    const source = await makeSource(t);
    const created = await reviewer.post(`/v1/claims/${claim.id}/reviews`).send({
      reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 's', evidence: [{ sourceId: source.id, relation: 'SUPPORTS' }],
    });
    const id = created.body.id as string;
    await reviewer.post(`/v1/reviews/${id}/transitions`).send({ to: 'IN_REVIEW' });
    expect((await admin.post(`/v1/reviews/${id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
    for (const stmt of [
      "UPDATE review SET status = 'DRAFT', published_at = NULL, published_by = NULL WHERE id = $1",
      "UPDATE review SET status = 'IN_REVIEW', published_at = NULL, published_by = NULL WHERE id = $1",
      'UPDATE review SET published_at = now() - interval \'1 year\' WHERE id = $1',
      "UPDATE review_evidence SET note = 'added later' WHERE review_id = $1",
      'DELETE FROM review_evidence WHERE review_id = $1',
      "INSERT INTO review_evidence (id, review_id, position, url, relation) VALUES (gen_random_uuid(), $1, 9, 'https://example.org/x', 'CONTEXT')",
    ]) {
      const err = await sql(stmt, [id]).catch((e: unknown) => e);
      expect(String(err)).toMatch(/was published/);
      expect(translateDatabaseError(err)).toMatchObject({ code: 'review-published' });
    }
    const [row] = await sql('SELECT status::text, published_at IS NOT NULL AS published, (SELECT count(*)::int FROM review_evidence WHERE review_id = $1) AS evidence FROM review WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'PUBLISHED', published: true, evidence: 1 });
  });

  test('actor columns name an actor (foreign keys)', async () => {
    const claim = await makeClaim(t);
    const nobody = randomUUID();
    await expect(sql('UPDATE claim SET created_by = $2 WHERE id = $1', [claim.id, nobody])).rejects.toThrow(/claim_created_by_fkey/);
    const second = await addStance(t, claim.id, (await makeParty(t)).id, 'DENIES');
    await expect(
      sql("UPDATE assertion SET withdrawn_at = now(), withdrawn_reason = 'x', withdrawn_by = $2 WHERE id = $1", [second.assertionId, nobody]),
    ).rejects.toThrow(/assertion_withdrawn_by_fkey/);
    await expect(sql("INSERT INTO setting (key, value, updated_at, updated_by) VALUES ('x', '1', now(), $1)", [nobody])).rejects.toThrow(/setting_updated_by_fkey/);
  });
});

describe('point 9: the second pair of eyes counts everyone who wrote the review', () => {
  test('a reviewer who rewrote a colleague’s draft cannot publish it; a third person can', async () => {
    const colleague = await startColleague();
    const claim = await makeClaim(t);
    const created = await reviewer.post(`/v1/claims/${claim.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 'first words' });
    const id = created.body.id as string;
    const etag = (await colleague.get(`/v1/reviews/${id}`)).headers.etag as string;
    const rewritten = await colleague.patch(`/v1/reviews/${id}`, { summary: 'the colleague’s words', rating: 'UNSUPPORTED' }, etag);
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.contributors.map((c: { name: string }) => c.name)).toEqual(['test REVIEWER', 'second reviewer']);
    expect((await colleague.post(`/v1/reviews/${id}/transitions`).send({ to: 'IN_REVIEW' })).status).toBe(200);
    const refused = await colleague.post(`/v1/reviews/${id}/transitions`).send({ to: 'PUBLISHED' });
    expect(refused.status).toBe(403);
    expect(refused.body.rule).toBe('second-pair-of-eyes');
    expect((await reviewer.post(`/v1/reviews/${id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(403);
    const published = await admin.post(`/v1/reviews/${id}/transitions`).send({ to: 'PUBLISHED' });
    expect(published.status).toBe(200);
    expect(published.body.published.by.name).not.toBe('second reviewer');
  });
});

async function startColleague(): Promise<Client> {
  const res = await admin.post('/v1/keys').send({ name: 'second reviewer', role: 'REVIEWER' });
  expect(res.status).toBe(201);
  const key = res.body.key as string;
  return {
    get: (p) => t.http.get(p).set('Authorization', `Bearer ${key}`),
    post: (p, b) => t.http.post(p).set('Authorization', `Bearer ${key}`).send(b as object),
    patch: (p, b, m) => t.http.patch(p).set('Authorization', `Bearer ${key}`).set('If-Match', m ?? '').send(b as object),
    delete: (p) => t.http.delete(p).set('Authorization', `Bearer ${key}`),
  };
}

async function publishedReview(claimId: string) {
  const created = await reviewer.post(`/v1/claims/${claimId}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 's' });
  await reviewer.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'IN_REVIEW' });
  const res = await admin.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'PUBLISHED' });
  expect(res.status).toBe(200);
  return res.body as { id: string };
}

describe('point 10: ETags follow what the answer shows', () => {
  const stale = async (path: string, etag: string) => (await reader.get(path).set('If-None-Match', etag)).status;

  test('renaming a party the dossier shows changes the dossier’s ETag', async () => {
    const party = await makeParty(t);
    const claim = await makeClaim(t, { party: party.id });
    const path = `/v1/claims/${claim.id}`;
    const before = (await reader.get(path)).headers.etag as string;
    expect(await stale(path, before)).toBe(304);
    const partyTag = (await reader.get(`/v1/parties/${party.id}`)).headers.etag as string;
    expect((await editor.patch(`/v1/parties/${party.id}`, { name: `Renamed ${randomUUID()}` }, partyTag)).status).toBe(200);
    expect(await stale(path, before)).toBe(200);
  });

  test('a relation drawn on the other claim changes the dossier’s ETag (it shows the other claim’s positions)', async () => {
    const claim = await makeClaim(t);
    const other = await makeClaim(t);
    expect((await editor.post(`/v1/claims/${other.id}/relations`).send({ targetClaimId: claim.id, type: 'SUPPORTS', basis: 'EDITORIAL', note: 'n' })).status).toBe(201);
    const path = `/v1/claims/${claim.id}`;
    const before = (await reader.get(path)).headers.etag as string;
    await addStance(t, other.id, (await makeParty(t)).id, 'DENIES');
    expect(await stale(path, before)).toBe(200);
  });

  test('a verdict published on a merged duplicate changes the survivor’s ETag; PATCH takes the current ETag and refuses the old one', async () => {
    const dup = await makeClaim(t);
    const survivor = await makeClaim(t);
    const draft = await reviewer.post(`/v1/claims/${dup.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 's' });
    await reviewer.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'IN_REVIEW' });
    expect((await editor.post(`/v1/claims/${dup.id}/merge`).send({ intoClaimId: survivor.id })).status).toBe(200);
    const path = `/v1/claims/${survivor.id}`;
    const before = (await reader.get(path)).headers.etag as string;
    expect((await admin.post(`/v1/reviews/${draft.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
    const now = await reader.get(path);
    expect(now.body.reviews.map((r: { id: string }) => r.id)).toEqual([draft.body.id]);
    expect(await stale(path, before)).toBe(200);
    expect((await editor.patch(path, { topics: ['x'] }, before)).status).toBe(412);
    const patched = await editor.patch(path, { topics: ['x'] }, now.headers.etag as string);
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe((await reader.get(path)).headers.etag);
  });

  test('an affiliation added to a party changes the party’s ETag', async () => {
    const person = await makeParty(t, { kind: 'PERSON' });
    const org = await makeParty(t);
    const path = `/v1/parties/${person.id}`;
    const before = (await reader.get(path)).headers.etag as string;
    expect((await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: org.id, role: 'spokesperson' })).status).toBe(201);
    expect(await stale(path, before)).toBe(200);
    expect((await editor.patch(path, { description: 'd' }, before)).status).toBe(412);
  });
});

describe('point 11: a review keeps the statement it judged', () => {
  test('rewording the claim after the verdict: the dossier shows the judged words and says they changed', async () => {
    const claim = await makeClaim(t, { statement: 'The words judged' });
    const review = await publishedReview(claim.id);
    const path = `/v1/claims/${claim.id}`;
    const etag = (await reader.get(path)).headers.etag as string;
    expect((await reader.get(path)).body.reviews[0]).toMatchObject({ id: review.id, judgedStatement: 'The words judged', statementChanged: false });
    expect((await editor.patch(path, { statement: 'Other words' }, etag)).status).toBe(200);
    const after = await reader.get(path);
    expect(after.body.statement).toBe('Other words');
    expect(after.body.reviews[0]).toMatchObject({ id: review.id, judgedStatement: 'The words judged', statementChanged: true });
    expect((await reader.get(`/v1/reviews/${review.id}`)).body).toMatchObject({ judgedStatement: 'The words judged', statementChanged: true });
  });

  test('a draft edited after the rewording judges the new words', async () => {
    const claim = await makeClaim(t, { statement: 'First wording' });
    const draft = await reviewer.post(`/v1/claims/${claim.id}/reviews`).send({ reviewerId: newsroom.id, rating: 'MIXED', ratingLabel: 'Mixed', summary: 's' });
    expect(draft.body.judgedStatement).toBe('First wording');
    const etag = (await reader.get(`/v1/claims/${claim.id}`)).headers.etag as string;
    expect((await editor.patch(`/v1/claims/${claim.id}`, { statement: 'Second wording' }, etag)).status).toBe(200);
    expect((await reviewer.get(`/v1/reviews/${draft.body.id}`)).body).toMatchObject({ judgedStatement: 'First wording', statementChanged: true });
    const tag = (await reviewer.get(`/v1/reviews/${draft.body.id}`)).headers.etag as string;
    const edited = await reviewer.patch(`/v1/reviews/${draft.body.id}`, { summary: 'checked again' }, tag);
    expect(edited.body).toMatchObject({ judgedStatement: 'Second wording', statementChanged: false });
  });
});

describe('GET /v1/sources/{id} pages the assertions anchored in it', () => {
  test('limit and cursor walk every assertion once, in text order; a forged cursor is 400', async () => {
    const words = ['alpha one', 'beta two', 'gamma three', 'delta four', 'epsilon five'];
    const source = await makeSource(t, { text: `Intro. ${words.join('. ')}.` });
    const party = await makeParty(t);
    for (const w of words) await makeClaim(t, { party: party.id, source: source.id, quote: w });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await reader.get(`/v1/sources/${source.id}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.assertions.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.assertions.map((a: { quote: string }) => a.quote));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(words);
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    expect((await reader.get(`/v1/sources/${source.id}?cursor=${forged}`)).status).toBe(400);
    expect((await reader.get(`/v1/sources/${source.id}?limit=500`)).status).toBe(400);
  });
});
