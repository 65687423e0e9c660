import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makeSource } from './helpers/factories';
import { auditSeq, errorPaths, expectOneAuditEvent } from './helpers/problems';

/*
 * Sources (SPEC 1.2, 2.2, 3.1, 3.2): the server hashes the text, URLs are
 * unique, lists leave the text out, the single GET shows every assertion
 * anchored in the source in text order with its claim's attribution, and
 * a source that is cited cannot be deleted.
 */

let t: TestApp;
let admin: Client;
let editor: Client;
let reader: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('ADMIN');
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
});
afterAll(() => t.close());

let counter = 0;
const marker = () => `m${Date.now().toString(36)}x${(counter += 1)}`;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sha256 = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
const ids = (res: Response) => res.body.data.map((x: { id: string }) => x.id);

function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
}




async function sourceCount(): Promise<number> {
  const rows = await t.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM source');
  return Number(rows[0]!.n);
}

describe('POST /v1/sources', () => {
  test('creates a source and computes contentSha256 from the UTF-8 text, storing the text exactly as given', async () => {
    const publisher = await makeParty(t, { kind: 'MEDIA', name: `Anadolu Ajansı ${marker()}` });
    // Non-ASCII, an astral character, and a decomposed "é" that must not be normalised.
    const text = 'Dışişleri Bakanı Hakan Fidan: “İsrail ateşkesi düzenli olarak ihlal ediyor.” 🕊️ cafe\u0301\n';
    const before = await auditSeq(t);
    const res = await editor.post('/v1/sources').send({
      kind: 'PRESS_CONFERENCE',
      title: 'Istanbul meeting on Gaza',
      url: `https://example.org/${marker()}`,
      publisherId: publisher.slug,
      publishedAt: '2025-11-03',
      language: 'tr',
      text,
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(UUID_V7);
    expect(res.headers.location).toBe(`/v1/sources/${res.body.id}`);
    expect(res.body.contentSha256).toBe(sha256(text));
    expect(res.body.text).toBe(text);
    expect(res.body).toMatchObject({ kind: 'PRESS_CONFERENCE', language: 'tr', publisher: { id: publisher.id, slug: publisher.slug } });
    expect(res.body.publishedAt).toMatch(/^2025-11-03/);

    const event = await expectOneAuditEvent(t, before, 'source.create', res.body.id, { entityType: 'source' });
    // The event holds the row as the table does: the text itself, and its hash.
    expect(event.after).toMatchObject({ content_sha256: sha256(text), text });

    const read = await reader.get(`/v1/sources/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.text).toBe(text);
    expect(read.body.contentSha256).toBe(sha256(text));
    expect(read.headers.etag).toBeTruthy();
  });

  test('leaves contentSha256 null when there is no text', async () => {
    const res = await editor.post('/v1/sources').send({ kind: 'OFFICIAL_STATEMENT', title: 'Statement without text' });
    expect(res.status).toBe(201);
    expect(res.body.text).toBeNull();
    expect(res.body.contentSha256).toBeNull();
  });

  test('refuses a client-supplied contentSha256 (400): the server computes it', async () => {
    const countBefore = await sourceCount();
    const res = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'x', text: 'abc', contentSha256: '0'.repeat(64) });
    expectProblem(res, 400);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await sourceCount()).toBe(countBefore);
  });

  test('returns 409 with existingId for a duplicate url, and creates nothing', async () => {
    const url = `https://www.aa.com.tr/en/${marker()}`;
    const first = await makeSource(t, { url });
    const countBefore = await sourceCount();
    const before = await auditSeq(t);
    const res = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'Same page again', url });
    expectProblem(res, 409);
    expect(res.body.existingId).toBe(first.id);
    expect(await sourceCount()).toBe(countBefore);
    expect(await auditSeq(t)).toBe(before);
  });

  test('answers 422 on publisherId for an unknown publisher', async () => {
    const countBefore = await sourceCount();
    for (const publisherId of ['0190a0a0-0000-7000-8000-000000000000', `no-such-publisher-${marker()}`]) {
      const res = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'x', publisherId });
      expectProblem(res, 422);
      expect(errorPaths(res)).toContain('publisherId');
    }
    expect(await sourceCount()).toBe(countBefore);
  });

  test.each(['not a url', '/relative/path', 'ftp://example.org/file', 'javascript:alert(1)'])('answers 400 on url for the invalid url %p', async (url) => {
    const res = await editor.post('/v1/sources').send({ kind: 'ARTICLE', title: 'x', url });
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('url');
  });

  test.each([
    ['an unknown kind', { kind: 'BLOG', title: 'x' }, 'kind'],
    ['a missing title', { kind: 'ARTICLE' }, 'title'],
    ['empty text', { kind: 'ARTICLE', title: 'x', text: '' }, 'text'],
    ['a malformed language tag', { kind: 'ARTICLE', title: 'x', language: 'not a language' }, 'language'],
    ['a malformed publishedAt', { kind: 'ARTICLE', title: 'x', publishedAt: '3 November 2025' }, 'publishedAt'],
    ['an unknown field', { kind: 'ARTICLE', title: 'x', author: 'someone' }, '(root)'],
  ])('answers 400 with errors[].path for %s', async (_what, body, path) => {
    const res = await editor.post('/v1/sources').send(body);
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain(path);
  });
});

describe('GET /v1/sources (list)', () => {
  test('filters by q (title or url) and by publisher id or slug', async () => {
    const m = marker();
    const publisher = await makeParty(t, { kind: 'MEDIA' });
    const other = await makeParty(t, { kind: 'MEDIA' });
    const a = await makeSource(t, { title: `Fidan speaks ${m}`, publisherId: publisher.id, text: 'some text' });
    const b = await makeSource(t, { title: `Saar answers ${m}`, publisherId: publisher.id });
    const c = await makeSource(t, { title: `Dar restates ${m}`, publisherId: other.id });
    const d = await makeSource(t, { title: 'Untitled', url: `https://example.org/${m}/page` });

    expect((await reader.get(`/v1/sources?q=${m}`)).body.data.map((s: { id: string }) => s.id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(ids(await reader.get(`/v1/sources?q=${encodeURIComponent(`FIDAN SPEAKS ${m}`)}`))).toEqual([a.id]);
    expect(ids(await reader.get(`/v1/sources?q=${m}/page`))).toEqual([d.id]);
    expect(ids(await reader.get(`/v1/sources?publisher=${publisher.id}`)).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await reader.get(`/v1/sources?publisher=${other.slug}&q=${m}`))).toEqual([c.id]);
    expect(ids(await reader.get(`/v1/sources?publisher=${publisher.slug}&q=saar`))).toEqual([b.id]);
  });

  test('leaves the text out of list items', async () => {
    const m = marker();
    const text = `A long text that lists should not carry ${m}`;
    const src = await makeSource(t, { title: `With text ${m}`, text });
    const res = await reader.get(`/v1/sources?q=${m}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].id).toBe(src.id);
    expect(res.body.data[0]).not.toHaveProperty('text');
    expect(res.text).not.toContain('A long text that lists should not carry');
  });

  test('pages with limit and nextCursor without duplicates or omissions', async () => {
    const m = marker();
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await makeSource(t, { title: `Paged ${m} ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await reader.get(`/v1/sources?q=${m}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(10);
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(created.sort());
  });

  test('answers 400 for a bad cursor', async () => {
    const res = await reader.get('/v1/sources?cursor=%25%25%25');
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('cursor');
  });
});

describe('GET /v1/sources/{id}', () => {
  test('lists the assertions anchored in the source in text order, each with its claim and positions', async () => {
    const m = marker();
    // An astral character first, so that code-point and UTF-16 offsets differ.
    const text = `🕊️ At the press conference Fidan said alpha ${m} here. Then Saar said beta ${m} here. Finally Dar said gamma ${m} here.`;
    const source = await makeSource(t, { title: `Transcript ${m}`, text });
    const [turkiye, israel, pakistan, hamas] = await Promise.all([makeParty(t), makeParty(t), makeParty(t), makeParty(t)]);

    // Recorded out of text order: gamma first, then alpha, then beta.
    const gammaClaim = await makeClaim(t, { statement: `Gamma claim ${m}`, party: pakistan.id, source: source.id, quote: `gamma ${m}` });
    const alphaClaim = await makeClaim(t, { statement: `Alpha claim ${m}`, party: turkiye.id, source: source.id, quote: `alpha ${m}` });
    const betaRes = await editor.post(`/v1/claims/${alphaClaim.id}/assertions`).send({
      partyId: israel.id,
      sourceId: source.id,
      stance: 'DENIES',
      quote: `beta ${m}`,
      quoteKind: 'INDIRECT',
    });
    expect(betaRes.status).toBe(201);
    // An assertion of the same claim in another source must not be listed here.
    await addStance(t, alphaClaim.id, hamas.id, 'QUESTIONS');

    const res = await reader.get(`/v1/sources/${source.id}`);
    expect(res.status).toBe(200);
    const list = res.body.assertions as {
      quote: string;
      stance: string;
      party: { id: string };
      anchor: { exact: string; start: number; end: number };
      claim: { id: string; statement: string; positions: Record<string, { id: string }[]> };
    }[];
    expect(list.map((a) => a.quote)).toEqual([`alpha ${m}`, `beta ${m}`, `gamma ${m}`]);
    const starts = list.map((a) => a.anchor.start);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    expect(new Set(starts).size).toBe(3);

    const codePoints = Array.from(text);
    for (const a of list) {
      expect(a.anchor.exact).toBe(a.quote);
      expect(codePoints.slice(a.anchor.start, a.anchor.end).join('')).toBe(a.quote);
    }

    expect(list[0]).toMatchObject({ stance: 'AFFIRMS', party: { id: turkiye.id }, claim: { id: alphaClaim.id, statement: `Alpha claim ${m}` } });
    expect(list[1]).toMatchObject({ stance: 'DENIES', party: { id: israel.id }, claim: { id: alphaClaim.id, statement: `Alpha claim ${m}` } });
    expect(list[2]).toMatchObject({ stance: 'AFFIRMS', party: { id: pakistan.id }, claim: { id: gammaClaim.id, statement: `Gamma claim ${m}` } });

    // Every claim shown carries who affirms and who denies it (SPEC 2.3), including stances taken elsewhere.
    const alphaPositions = list[0]!.claim.positions;
    expect(alphaPositions.affirms!.map((p) => p.id)).toEqual([turkiye.id]);
    expect(alphaPositions.denies!.map((p) => p.id)).toEqual([israel.id]);
    expect(alphaPositions.questions!.map((p) => p.id)).toEqual([hamas.id]);
    expect(list[1]!.claim.positions).toEqual(alphaPositions);
    const gammaPositions = list[2]!.claim.positions;
    expect(gammaPositions.affirms!.map((p) => p.id)).toEqual([pakistan.id]);
    expect(gammaPositions.denies).toEqual([]);
  });

  test('shows an empty assertion list for an uncited source', async () => {
    const source = await makeSource(t, { text: 'Nothing quoted from here.' });
    const res = await reader.get(`/v1/sources/${source.id}`);
    expect(res.status).toBe(200);
    expect(res.body.assertions).toEqual([]);
  });

  test('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expectProblem(await reader.get('/v1/sources/0190a0a0-0000-7000-8000-000000000000'), 404);
    const bad = await reader.get('/v1/sources/not-a-uuid');
    expectProblem(bad, 400);
    expect(errorPaths(bad)).toContain('id');
  });
});

describe('DELETE /v1/sources/{id}', () => {
  test('deletes an unused source: 204, then 404, with one source.delete event', async () => {
    const source = await makeSource(t, { text: 'never cited' });
    const before = await auditSeq(t);
    const res = await editor.delete(`/v1/sources/${source.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await reader.get(`/v1/sources/${source.id}`), 404);
    await expectOneAuditEvent(t, before, 'source.delete', source.id, { entityType: 'source' });
  });

  test('returns 409 when an assertion cites the source, and keeps it', async () => {
    const source = await makeSource(t, { text: 'He said the words that matter here.' });
    await makeClaim(t, { source: source.id, quote: 'the words that matter' });
    const before = await auditSeq(t);
    const res = await editor.delete(`/v1/sources/${source.id}`);
    expectProblem(res, 409);
    const still = await reader.get(`/v1/sources/${source.id}`);
    expect(still.status).toBe(200);
    expect(still.body.text).toBe('He said the words that matter here.');
    expect(still.body.assertions).toHaveLength(1);
    expect(await auditSeq(t)).toBe(before);
  });

  test('returns 409 when the only citing assertion was withdrawn: withdrawn assertions stay in history', async () => {
    const source = await makeSource(t, { text: 'A wrong attribution lives here.' });
    const claim = await makeClaim(t, {});
    const wrong = await editor.post(`/v1/claims/${claim.id}/assertions`).send({
      partyId: (await makeParty(t)).id,
      sourceId: source.id,
      stance: 'AFFIRMS',
      quote: 'wrong attribution',
      quoteKind: 'INDIRECT',
    });
    expect(wrong.status).toBe(201);
    const withdraw = await editor.post(`/v1/assertions/${wrong.body.assertionId}/withdraw`).send({ reason: 'misattributed' });
    expect(withdraw.status).toBe(200);
    expectProblem(await editor.delete(`/v1/sources/${source.id}`), 409);
    expect((await reader.get(`/v1/sources/${source.id}`)).status).toBe(200);
  });

  test('answers 404 for an unknown source', async () => {
    expectProblem(await editor.delete('/v1/sources/0190a0a0-0000-7000-8000-000000000000'), 404);
  });
});
