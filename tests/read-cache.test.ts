import express from 'express';
import request from 'supertest';
import { createApp } from '../src/app';
import { readCacheLookups } from '../src/modules/metrics/registry';
import { createLogger } from '../src/shared/logger';
import { ADMIN_KEY, startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty } from './helpers/factories';

/*
 * Issue 13: repeated lookups (the dossier, search, party lookup and
 * statements) are answered from memory while the ledger is unchanged. The
 * cache must never show a reader less than it would have seen without it:
 * a write acknowledged by this instance or any other is in the next read.
 */

let t: TestApp;
let reader: Client;
/** A second instance on the same database, with a cache of its own (another process, as far as caching goes). */
let other: ReturnType<typeof request>;
const tag = Date.now().toString(36);

const lookups = async () => Object.fromEntries((await readCacheLookups.get()).values.map((v) => [v.labels.result, v.value]));
const count = async (result: string) => ((await lookups())[result] as number | undefined) ?? 0;

beforeAll(async () => {
  t = await startTestApp();
  reader = await t.as('READER');
  other = request(express().use(createApp({ db: t.db, config: t.ctx.config, logger: createLogger('silent') })));
});
afterAll(() => t.close());

const otherGet = async (path: string) => other.get(path).set('Authorization', `Bearer ${await t.keyFor('READER')}`);

test('a repeated dossier read is answered from memory, and a write changes the next one', async () => {
  const israel = await makeParty(t, { name: `Israel ${tag}` });
  const hamas = await makeParty(t, { name: `Hamas ${tag}` });
  const claim = await makeClaim(t, { party: israel.id, statement: `The crossing opened ${tag}` });

  const first = await reader.get(`/v1/claims/${claim.id}`);
  const hitsBefore = await count('hit');
  const second = await reader.get(`/v1/claims/${claim.id}`);
  expect(await count('hit')).toBe(hitsBefore + 1);
  expect(second.text).toBe(first.text);
  expect(second.headers.etag).toBe(first.headers.etag);
  expect((await reader.get(`/v1/claims/${claim.id}`).set('If-None-Match', String(first.headers.etag))).status).toBe(304);

  await addStance(t, claim.id, hamas.id, 'DENIES');
  const after = await reader.get(`/v1/claims/${claim.id}`);
  expect(after.body.positions.denies.map((p: { party: { id: string } }) => p.party.id)).toEqual([hamas.id]);
  expect(after.headers.etag).not.toBe(first.headers.etag);
});

test('a write through another instance is in this instance’s next read (dossier, search, statements, lookup)', async () => {
  const party = await makeParty(t, { name: `Jordan ${tag}`, aliases: [`الأردن ${tag}`] });
  const claim = await makeClaim(t, { party: party.id, statement: `Aid convoys crossed at Allenby ${tag}` });
  const paths = [
    `/v1/claims/${claim.id}`,
    `/v1/claims?q=${encodeURIComponent(`convoys ${tag}`)}`,
    `/v1/parties/${party.slug}/statements`,
    `/v1/parties?q=${encodeURIComponent(`Jordan ${tag}`)}`,
  ];
  for (const path of paths) expect((await otherGet(path)).status).toBe(200);
  const kept = await Promise.all(paths.map(async (p) => (await otherGet(p)).text));

  // Written through the test's own instance: the other one's kept answers are now behind.
  const editor = await t.as('EDITOR');
  const reworded = await editor.patch(`/v1/claims/${claim.id}`, { statement: `Aid convoys crossed at Allenby bridge ${tag}` }, (await reader.get(`/v1/claims/${claim.id}`)).headers.etag);
  expect(reworded.status).toBe(200);
  const partyEtag = (await reader.get(`/v1/parties/${party.id}`)).headers.etag;
  expect((await editor.patch(`/v1/parties/${party.id}`, { name: `Hashemite Kingdom of Jordan ${tag}` }, partyEtag)).status).toBe(200);

  const now = await Promise.all(paths.map((p) => otherGet(p)));
  now.forEach((res, i) => expect(res.text).not.toBe(kept[i]));
  expect(now[0]!.body.statement).toBe(`Aid convoys crossed at Allenby bridge ${tag}`);
  expect(now[1]!.body.data.map((h: { id: string }) => h.id)).toEqual([claim.id]);
  expect(now[1]!.text).toContain(`Allenby bridge ${tag}`);
  expect(now[2]!.text).toContain(`Hashemite Kingdom of Jordan ${tag}`);
  expect(now[3]!.body.data[0].name).toBe(`Hashemite Kingdom of Jordan ${tag}`);
});

test('many requests for the same search at once run it once', async () => {
  const party = await makeParty(t, { name: `Egypt ${tag}` });
  await makeClaim(t, { party: party.id, statement: `Talks resumed in Cairo ${tag}` });
  const path = `/v1/claims?q=${encodeURIComponent(`"talks resumed" ${tag}`)}`;
  const missesBefore = await count('miss');
  const answers = await Promise.all(Array.from({ length: 8 }, () => reader.get(path)));
  expect(await count('miss')).toBe(missesBefore + 1);
  expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  expect(answers[0]!.body.data).toHaveLength(1);
});

test('what fails is not kept: an unknown party is answered 422 each time, and a claim made since is found', async () => {
  const path = `/v1/claims?party=${encodeURIComponent(`Ruritania ${tag}`)}`;
  expect((await reader.get(path)).status).toBe(422);
  expect((await reader.get(path)).status).toBe(422);
  const ruritania = await makeParty(t, { name: `Ruritania ${tag}` });
  const claim = await makeClaim(t, { party: ruritania.id });
  const found = await reader.get(path);
  expect(found.status).toBe(200);
  expect(found.body.data.map((h: { id: string }) => h.id)).toEqual([claim.id]);
});

test('writers and readers on two instances at once: every acknowledged stance is in the next read', async () => {
  const claim = await makeClaim(t, { statement: `Ceasefire holds ${tag}` });
  const parties = await Promise.all(Array.from({ length: 6 }, (_, i) => makeParty(t, { name: `Observer ${i} ${tag}` })));
  const path = `/v1/claims/${claim.id}`;
  const seenAfterEach = await Promise.all(
    parties.map(async (p, i) => {
      // Readers keep the answer warm while the writes land.
      await Promise.all([otherGet(path), reader.get(path)]);
      await addStance(t, claim.id, p.id, i % 2 ? 'DENIES' : 'QUESTIONS');
      const [a, b] = await Promise.all([otherGet(path), reader.get(path)]);
      const partiesIn = (res: request.Response) =>
        [...res.body.positions.denies, ...res.body.positions.questions].map((x: { party: { id: string } }) => x.party.id);
      return partiesIn(a).includes(p.id) && partiesIn(b).includes(p.id);
    }),
  );
  expect(seenAfterEach).toEqual(parties.map(() => true));
});

test('READ_CACHE_MB=0 answers every read from the database', async () => {
  const off = await startTestApp({ readCacheMb: 0 });
  try {
    expect(off.ctx.config.readCacheMb).toBe(0);
    const claim = await makeClaim(off);
    const before = await lookups();
    const http = request(express().use(createApp({ db: off.db, config: off.ctx.config, logger: createLogger('silent') })));
    for (let i = 0; i < 3; i++) expect((await http.get(`/v1/claims/${claim.id}`).set('Authorization', `Bearer ${ADMIN_KEY}`)).status).toBe(200);
    expect(await lookups()).toEqual(before);
  } finally {
    await off.close();
  }
});
