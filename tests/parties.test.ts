import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { makeClaim, makeParty, makePerson, makeSource } from './helpers/factories';
import { auditSeq, errorPaths, expectOneAuditEvent } from './helpers/problems';

/*
 * Parties (SPEC 1.1, 2.2, 3.1, 3.2): creation and slugs, reads by id and
 * slug, search and keyset pagination, optimistic concurrency on PATCH,
 * deletion only while unused, affiliations, and one audit event per write.
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

/**
 * Random lowercase letters: they survive slug derivation unchanged, and two
 * of them are too unlike each other for a fuzzy search to confuse them.
 */
function marker(): string {
  return `zz${Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function expectProblem(res: Response, status: number, type?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  if (type) expect(res.body.type).toBe(type);
}




async function expectNoAuditEvent(before: number) {
  expect(await auditSeq(t)).toBe(before);
}

async function partyCount(): Promise<number> {
  const rows = await t.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM party');
  return Number(rows[0]!.n);
}

describe('POST /v1/parties', () => {
  test('creates a party: 201 with Location, ETag, a UUIDv7 id and the slug derived from the name', async () => {
    const before = await auditSeq(t);
    const res = await editor.post('/v1/parties').send({
      name: 'Türkiye',
      kind: 'STATE',
      aliases: ['Turkiye', 'Turkey'],
      country: 'TR',
      wikidataId: 'Q43',
      description: 'Republic of Türkiye',
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(UUID_V7);
    expect(res.headers.location).toBe(`/v1/parties/${res.body.id}`);
    expect(res.headers.etag).toBe((await t.http.get(`/v1/parties/${res.body.id}`).set('Authorization', `Bearer ${await t.keyFor('READER')}`)).headers.etag);
    expect(res.body).toMatchObject({
      slug: 'turkiye',
      name: 'Türkiye',
      kind: 'STATE',
      aliases: ['Turkiye', 'Turkey'],
      country: 'TR',
      wikidataId: 'Q43',
      description: 'Republic of Türkiye',
      version: 1,
    });

    const event = await expectOneAuditEvent(t, before, 'party.create', res.body.id);
    expect(event.entityType).toBe('party');
    expect(event.after).toMatchObject({ id: res.body.id, slug: 'turkiye' });

    const location = await reader.get(res.headers.location as string);
    expect(location.status).toBe(200);
    expect(location.body.name).toBe('Türkiye');
  });

  test('derives url-safe slugs from names with diacritics, dotless i and punctuation', async () => {
    const m = marker();
    const res = await editor.post('/v1/parties').send({ name: `Hakan  Fidan, Dışişleri Bakanı (${m})`, kind: 'PERSON' });
    expect(res.status).toBe(201);
    expect(res.body.slug).toBe(`hakan-fidan-disisleri-bakani-${m}`);
  });

  test('keeps an explicit slug', async () => {
    const m = marker();
    const res = await editor.post('/v1/parties').send({ name: 'Islamic Resistance Movement', slug: `hamas-${m}`, kind: 'ARMED_GROUP' });
    expect(res.status).toBe(201);
    expect(res.body.slug).toBe(`hamas-${m}`);
  });

  test('returns 409 with existingId when the derived slug is taken, and creates nothing', async () => {
    const m = marker();
    const first = await makeParty(t, { name: `Israel ${m}` });
    const countBefore = await partyCount();
    const before = await auditSeq(t);
    const res = await editor.post('/v1/parties').send({ name: `ISRAEL ${m.toUpperCase()}`, kind: 'STATE' });
    expectProblem(res, 409);
    expect(res.body.existingId).toBe(first.id);
    expect(await partyCount()).toBe(countBefore);
    await expectNoAuditEvent(before);
  });

  test('returns 409 with existingId when an explicit slug is taken', async () => {
    const first = await makeParty(t);
    const res = await editor.post('/v1/parties').send({ name: 'Someone else entirely', slug: first.slug, kind: 'MEDIA' });
    expectProblem(res, 409);
    expect(res.body.existingId).toBe(first.id);
  });

  test.each([
    ['an unknown field', { name: 'X', kind: 'STATE', colour: 'red' }, '(root)'],
    ['an unknown kind', { name: 'X', kind: 'PLANET' }, 'kind'],
    ['a blank name', { name: '   ', kind: 'STATE' }, 'name'],
    ['a slug that is not url-safe', { name: 'X', kind: 'STATE', slug: 'Not A Slug' }, 'slug'],
    ['a country that is not ISO 3166-1 alpha-2', { name: 'X', kind: 'STATE', country: 'Turkey' }, 'country'],
    ['a malformed wikidataId', { name: 'X', kind: 'STATE', wikidataId: 'P31' }, 'wikidataId'],
  ])('answers 400 with errors[].path for %s and creates nothing', async (_what, body, path) => {
    const countBefore = await partyCount();
    const res = await editor.post('/v1/parties').send(body);
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain(path);
    expect(await partyCount()).toBe(countBefore);
  });
});

describe('GET /v1/parties/{id or slug}', () => {
  test('reads the same party by id and by slug, with an ETag', async () => {
    const party = await makeParty(t, { kind: 'INTERGOVERNMENTAL', aliases: ['OIC'] });
    const byId = await reader.get(`/v1/parties/${party.id}`);
    const bySlug = await reader.get(`/v1/parties/${party.slug}`);
    expect(byId.status).toBe(200);
    expect(bySlug.status).toBe(200);
    expect(byId.headers.etag).toMatch(/^"c[\w-]{22}"$/);
    expect(bySlug.headers.etag).toBe(byId.headers.etag);
    expect(bySlug.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({ id: party.id, slug: party.slug, kind: 'INTERGOVERNMENTAL', aliases: ['OIC'], affiliations: [], members: [] });
  });

  test('answers 404 problem+json for an unknown id or slug', async () => {
    expectProblem(await reader.get('/v1/parties/0190a0a0-0000-7000-8000-000000000000'), 404);
    expectProblem(await reader.get(`/v1/parties/no-such-party-${marker()}`), 404);
  });
});

describe('GET /v1/parties (list and search)', () => {
  test('filters by kind', async () => {
    const m = marker();
    const state = await makeParty(t, { name: `Kindtest ${m} state`, kind: 'STATE' });
    const person = await makePerson(t, { name: `Kindtest ${m} person` });
    const media = await makeParty(t, { name: `Kindtest ${m} media`, kind: 'MEDIA' });

    const persons = await reader.get(`/v1/parties?q=${m}&kind=PERSON`);
    expect(persons.status).toBe(200);
    expect(persons.body.data.map((p: { id: string }) => p.id)).toEqual([person.id]);

    const all = await reader.get(`/v1/parties?q=${m}`);
    expect(all.body.data.map((p: { id: string }) => p.id).sort()).toEqual([state.id, person.id, media.id].sort());

    const everyPerson = await reader.get('/v1/parties?kind=PERSON&limit=200');
    expect(everyPerson.body.data.length).toBeGreaterThan(0);
    for (const p of everyPerson.body.data) expect(p.kind).toBe('PERSON');
  });

  test('rejects an unknown kind with 400', async () => {
    const res = await reader.get('/v1/parties?kind=PLANET');
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('kind');
  });

  test('q matches names case-insensitively and without the accents', async () => {
    const m = marker();
    const party = await makeParty(t, { name: `Çağlayan Öztürk ${m}`, kind: 'PERSON' });
    for (const q of [`ÇAĞLAYAN ÖZTÜRK ${m}`, `caglayan ozturk ${m}`, `Caglayan`, `ozturk ${m}`]) {
      const res = await reader.get(`/v1/parties?q=${encodeURIComponent(q)}&limit=200`);
      expect(res.status).toBe(200);
      expect({ q, ids: res.body.data.map((p: { id: string }) => p.id) }).toEqual({ q, ids: expect.arrayContaining([party.id]) });
    }
    const none = await reader.get(`/v1/parties?q=${marker()}nothing`);
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });

  test('q matches aliases, case-insensitively', async () => {
    const m = marker();
    const party = await makeParty(t, { name: `Republic ${m}`, aliases: [`Turkey${m}`, `Türkei${m}`] });
    for (const q of [`Turkey${m}`, `turkey${m}`, `TURKEY${m}`, `turkei${m}`]) {
      const res = await reader.get(`/v1/parties?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect({ q, ids: res.body.data.map((p: { id: string }) => p.id) }).toEqual({ q, ids: [party.id] });
    }
  });

  test('q tolerates a small misspelling of a name', async () => {
    const m = marker();
    const party = await makeParty(t, { name: `Pakistan${m}` });
    // One letter dropped, one letter swapped.
    for (const q of [`Pakstan${m}`, `Paksitan${m}`]) {
      const res = await reader.get(`/v1/parties?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect({ q, ids: res.body.data.map((p: { id: string }) => p.id) }).toEqual({ q, ids: expect.arrayContaining([party.id]) });
    }
  });

  test('walks every row exactly once with limit and nextCursor, even with equal names and inserts between pages', async () => {
    // COALITION is used by no other test of this file, so the filter isolates these rows.
    const m = marker();
    const created: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      created.push((await makeParty(t, { name: `Pagewalk ${m} ${String.fromCharCode(98 + i)}`, kind: 'COALITION' })).id);
    }
    // Equal names: the order must fall back on a unique key.
    for (let i = 0; i < 3; i += 1) {
      created.push((await makeParty(t, { name: `Pagewalk ${m} same`, slug: `pagewalk-${m}-same-${i}`, kind: 'COALITION' })).id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let inserted: string | undefined;
    do {
      const res: Response = await reader.get(`/v1/parties?kind=COALITION&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      pages += 1;
      if (pages === 1) {
        // Sorts before everything already read: it must not shift the later pages.
        inserted = (await makeParty(t, { name: `0000 ${m}`, kind: 'COALITION' })).id;
      }
      expect(pages).toBeLessThan(20);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(inserted);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(pages).toBe(4);
  });

  test('walks every match of a search exactly once with limit and nextCursor', async () => {
    const m = marker();
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await makeParty(t, { name: `Searchwalk ${m} ${'bcdef'[i]}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await reader.get(`/v1/parties?q=${m}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(20);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(pages).toBe(3);
  });

  test('the last page has nextCursor null', async () => {
    const m = marker();
    await makeParty(t, { name: `Lastpage ${m} one` });
    const res = await reader.get(`/v1/parties?q=lastpage%20${m}&limit=1`);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.nextCursor).toBeNull();
  });

  test.each([
    ['characters a cursor never has', 'not a cursor!'],
    ['base64 of something else', Buffer.from('{"hello":"world"}').toString('base64url')],
    ['garbage', 'abc'],
  ])('answers 400 for a cursor of %s', async (_what, cursor) => {
    const res = await reader.get(`/v1/parties?cursor=${encodeURIComponent(cursor)}`);
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('cursor');
  });

  test.each(['0', '201', 'ten'])('answers 400 for limit=%s', async (limit) => {
    const res = await reader.get(`/v1/parties?limit=${limit}`);
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('limit');
  });
});

describe('PATCH /v1/parties/{id}', () => {
  test('answers 428 without If-Match and changes nothing', async () => {
    const party = await makeParty(t);
    const before = await auditSeq(t);
    const res = await editor.patch(`/v1/parties/${party.id}`, { name: 'Renamed without If-Match' });
    expectProblem(res, 428);
    const after = await reader.get(`/v1/parties/${party.id}`);
    expect(after.body).toMatchObject({ name: party.name, version: 1 });
    await expectNoAuditEvent(before);
  });

  test('answers 412 for a stale ETag and changes nothing', async () => {
    const party = await makeParty(t);
    const before = await auditSeq(t);
    const res = await editor.patch(`/v1/parties/${party.id}`, { name: 'Renamed from a stale read' }, '"v7"');
    expectProblem(res, 412);
    const after = await reader.get(`/v1/parties/${party.id}`);
    expect(after.body).toMatchObject({ name: party.name, version: 1 });
    await expectNoAuditEvent(before);
  });

  test('applies the change with the current ETag, increments the version and the ETag, and audits it once', async () => {
    const party = await makeParty(t, { aliases: ['Old alias'] });
    const read = await reader.get(`/v1/parties/${party.id}`);
    const before = await auditSeq(t);
    const m = marker();
    const res = await editor.patch(`/v1/parties/${party.slug}`, { name: `New name ${m}`, aliases: ['A', 'B'], country: 'PK' }, read.headers.etag);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: party.id, name: `New name ${m}`, aliases: ['A', 'B'], country: 'PK', version: 2, slug: party.slug });
    expect(res.headers.etag).toMatch(/^"c[\w-]{22}"$/);
    expect(res.headers.etag).not.toBe(read.headers.etag);

    const event = await expectOneAuditEvent(t, before, 'party.update', party.id);
    expect(event.before).toMatchObject({ name: party.name, version: 1 });
    expect(event.after).toMatchObject({ name: `New name ${m}`, version: 2 });

    const again = await reader.get(`/v1/parties/${party.id}`);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(again.body.name).toBe(`New name ${m}`);

    // The ETag read before the change is now stale.
    expectProblem(await editor.patch(`/v1/parties/${party.id}`, { name: 'Lost update' }, read.headers.etag), 412);
  });

  test('answers 400 for an unknown field and changes nothing', async () => {
    const party = await makeParty(t);
    const before = await auditSeq(t);
    const res = await editor.patch(`/v1/parties/${party.id}`, { name: 'Fine', power: 'absolute' }, '"v1"');
    expectProblem(res, 400);
    expect(res.body.errors.length).toBeGreaterThan(0);
    const after = await reader.get(`/v1/parties/${party.id}`);
    expect(after.body).toMatchObject({ name: party.name, version: 1 });
    expect(after.body.power).toBeUndefined();
    await expectNoAuditEvent(before);
  });

  test('answers 409 when renaming the slug to one that is taken', async () => {
    const a = await makeParty(t);
    const b = await makeParty(t);
    const res = await editor.patch(`/v1/parties/${b.id}`, { slug: a.slug }, '*');
    expectProblem(res, 409);
    expect(res.body.existingId).toBe(a.id);
  });

  test('answers 404 for an unknown party', async () => {
    expectProblem(await editor.patch(`/v1/parties/no-such-${marker()}`, { name: 'x' }, '"v1"'), 404);
  });
});

describe('DELETE /v1/parties/{id}', () => {
  test('deletes an unused party: 204, then 404, with one party.delete event', async () => {
    const party = await makeParty(t);
    const before = await auditSeq(t);
    const res = await editor.delete(`/v1/parties/${party.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await reader.get(`/v1/parties/${party.id}`), 404);
    const event = await expectOneAuditEvent(t, before, 'party.delete', party.id);
    expect(event.before).toMatchObject({ id: party.id, slug: party.slug });
  });

  test('deletes by slug', async () => {
    const party = await makeParty(t);
    expect((await editor.delete(`/v1/parties/${party.slug}`)).status).toBe(204);
    expectProblem(await reader.get(`/v1/parties/${party.id}`), 404);
  });

  test('answers 404 for an unknown party', async () => {
    expectProblem(await editor.delete(`/v1/parties/no-such-${marker()}`), 404);
  });

  async function expectUndeletable(party: { id: string; slug: string }) {
    const before = await auditSeq(t);
    const res = await editor.delete(`/v1/parties/${party.id}`);
    expectProblem(res, 409);
    const still = await reader.get(`/v1/parties/${party.slug}`);
    expect(still.status).toBe(200);
    expect(still.body.id).toBe(party.id);
    await expectNoAuditEvent(before);
  }

  test('returns 409 when the party is still referred to by an assertion, and keeps it', async () => {
    const party = await makeParty(t);
    await makeClaim(t, { party: party.id });
    await expectUndeletable(party);
  });

  test('returns 409 when the party is still the speaker of an assertion, and keeps it', async () => {
    const speaker = await makePerson(t);
    await makeClaim(t, { speaker: speaker.id });
    await expectUndeletable(speaker);
  });

  test('returns 409 when the party is still the publisher of a source, and keeps it', async () => {
    const publisher = await makeParty(t, { kind: 'MEDIA' });
    await makeSource(t, { publisherId: publisher.id });
    await expectUndeletable(publisher);
  });

  test('returns 409 when the party is still the subject of a claim, and keeps it', async () => {
    const subject = await makeParty(t);
    await makeClaim(t, { subjects: [subject.id] });
    await expectUndeletable(subject);
  });

  test('returns 409 for both sides of an affiliation, and keeps them', async () => {
    const person = await makePerson(t);
    const party = await makeParty(t);
    const aff = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Spokesperson' });
    expect(aff.status).toBe(201);
    await expectUndeletable(person);
    await expectUndeletable(party);
  });
});

describe('POST /v1/parties/{id}/affiliations', () => {
  test('affiliates a person to a party: 201, one audit event, visible on both parties', async () => {
    const person = await makePerson(t, { name: `Hakan Fidan ${marker()}` });
    const state = await makeParty(t, { name: `Türkiye ${marker()}` });
    const before = await auditSeq(t);
    const res = await editor
      .post(`/v1/parties/${person.slug}/affiliations`)
      .send({ partyId: state.id, role: 'Minister of Foreign Affairs', from: '2023-06-04' });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(UUID_V7);
    expect(res.body).toMatchObject({
      person: { id: person.id, slug: person.slug, kind: 'PERSON' },
      party: { id: state.id, slug: state.slug },
      role: 'Minister of Foreign Affairs',
      from: '2023-06-04',
      to: null,
    });
    const event = await expectOneAuditEvent(t, before, 'affiliation.create', res.body.id);
    expect(event.entityType).toBe('affiliation');

    const personRead = await reader.get(`/v1/parties/${person.id}`);
    expect(personRead.body.affiliations).toEqual([res.body]);
    expect(personRead.body.members).toEqual([]);
    const stateRead = await reader.get(`/v1/parties/${state.id}`);
    expect(stateRead.body.members).toEqual([res.body]);
    expect(stateRead.body.affiliations).toEqual([]);
  });

  test('accepts the party by slug and a closed date range', async () => {
    const person = await makePerson(t);
    const party = await makeParty(t, { kind: 'POLITICAL_PARTY' });
    const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.slug, role: 'Member', from: '2001-08-14', to: '2014-08-28' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ from: '2001-08-14', to: '2014-08-28', party: { id: party.id } });
  });

  test('answers 422 when the affiliated party is not a PERSON', async () => {
    const notAPerson = await makeParty(t, { kind: 'STATE' });
    const party = await makeParty(t, { kind: 'INTERGOVERNMENTAL' });
    const before = await auditSeq(t);
    const res = await editor.post(`/v1/parties/${notAPerson.id}/affiliations`).send({ partyId: party.id, role: 'Member state' });
    expectProblem(res, 422);
    await expectNoAuditEvent(before);
    expect((await reader.get(`/v1/parties/${party.id}`)).body.members).toEqual([]);
  });

  test('answers 422 when a person is affiliated to themselves', async () => {
    const person = await makePerson(t);
    const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: person.id, role: 'Self' });
    expectProblem(res, 422);
    expect((await reader.get(`/v1/parties/${person.id}`)).body.affiliations).toEqual([]);
  });

  test('answers 409 for a duplicate affiliation, naming the existing one', async () => {
    const person = await makePerson(t);
    const party = await makeParty(t);
    const first = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Spokesperson' });
    expect(first.status).toBe(201);
    const before = await auditSeq(t);
    const dup = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Spokesperson' });
    expectProblem(dup, 409);
    expect(dup.body.existingId).toBe(first.body.id);
    await expectNoAuditEvent(before);
    // Another role with the same party is a different affiliation.
    const other = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Deputy' });
    expect(other.status).toBe(201);
    expect((await reader.get(`/v1/parties/${party.id}`)).body.members).toHaveLength(2);
  });

  test('answers 400 on "to" when from is after to', async () => {
    const person = await makePerson(t);
    const party = await makeParty(t);
    const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, role: 'Member', from: '2020-01-02', to: '2020-01-01' });
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain('to');
    expect((await reader.get(`/v1/parties/${person.id}`)).body.affiliations).toEqual([]);
  });

  test.each([
    ['a malformed date', { role: 'Member', from: '4 June 2023' }, 'from'],
    ['a missing role', {}, 'role'],
    ['an unknown field', { role: 'Member', since: '2020-01-01' }, '(root)'],
  ])('answers 400 for %s', async (_what, extra, path) => {
    const person = await makePerson(t);
    const party = await makeParty(t);
    const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: party.id, ...extra });
    expectProblem(res, 400);
    expect(errorPaths(res)).toContain(path);
  });

  test('answers 404 when the person in the path does not exist', async () => {
    const party = await makeParty(t);
    expectProblem(await editor.post(`/v1/parties/no-such-${marker()}/affiliations`).send({ partyId: party.id, role: 'Member' }), 404);
  });

  test('answers 422 on partyId when the party named in the body does not exist', async () => {
    const person = await makePerson(t);
    const res = await editor.post(`/v1/parties/${person.id}/affiliations`).send({ partyId: `no-such-${marker()}`, role: 'Member' });
    expectProblem(res, 422);
    expect(errorPaths(res)).toContain('partyId');
  });
});
