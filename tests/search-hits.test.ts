import { findMatches } from '../src/modules/claims/search-repository';
import { refreshAllStaleHits } from '../src/modules/claims/hits';
import { claimPageOut } from '../src/modules/claims/responses';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makeSource } from './helpers/factories';

/*
 * Issue 13: search hits come from a read model (claim_hit) that the writing
 * transaction keeps, and their highlights from word spans stored with it
 * instead of analysing every text on each request. In English, Turkish,
 * Arabic and German, with the words that trip a tokenizer (hyphens, URLs,
 * e-mail addresses, emoji, a ligature that folding lengthens).
 */

let t: TestApp;
let editor: Client;
let reader: Client;

async function page(query: string) {
  const res = await reader.get(`/v1/claims?${query}`);
  expect(res.status).toBe(200);
  claimPageOut.parse(res.body);
  return res;
}
const q = (s: string) => `q=${encodeURIComponent(s)}`;
const staleCount = async () =>
  Number((await t.db.prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM "claim_hit" WHERE "body" IS NULL'))[0]!.n);

const TEXTS = [
  { statement: 'Ceasefire-violations in Gaza: see https://example.org/gaza-report or write to press@gaza.org', quote: 'Gaza strikes went on, 3.14 <b>Gaza</b> said' },
  { statement: 'İsrail Gazze’deki ateşkesi ihlal ediyor', language: 'tr', quote: 'ATEŞKES-İHLALİ sürüyor, ateşkes bozuldu' },
  { statement: 'الاحتلال ينتهك الاتفاق في غزة، والاتفاق هش', language: 'ar', quote: 'القصف مستمر رغم الاتفاق' },
  { statement: 'Die Waffenruhe in Gaza wird verletzt, sagt die Straße', language: 'de', quote: 'Waffenruhe? Keine.' },
  { statement: '🇹🇷 Türkiye says 👍 the ceasefire holds in Gaza', quote: 'the ceasefire 🕊️ holds, the ceasefire holds' },
];

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  const party = await makeParty(t, { name: 'Hit Party' });
  for (const text of TEXTS) await makeClaim(t, { ...text, party: party.id });
});

afterAll(() => t.close());

describe('highlights from stored word spans', () => {
  test.each(['ceasefire', 'gaza', 'violations', 'example.org', '"gaza strikes"', 'ateşkes', 'ihlal', 'اتفاق', 'waffenruhe', 'holds -hamas', 'strasse', 'press@gaza.org'])(
    'q=%s: the same matches and highlights as ts_headline over the texts analysed again',
    async (words) => {
      const res = await page(q(words));
      const hits = res.body.data as { id: string; matches: unknown[] }[];
      expect(hits.length).toBeGreaterThan(0);
      const again = await findMatches(t.db.prisma, hits.map((h) => h.id), words);
      for (const hit of hits) expect(hit.matches).toEqual(again.get(hit.id) ?? []);
    },
  );

  test('offsets count code points: emoji before a word do not shift it', async () => {
    const res = await page(q('holds'));
    const hit = res.body.data.find((h: { statement: string }) => h.statement.startsWith('🇹🇷'));
    const quote = hit.matches.find((m: { field: string }) => m.field === 'quote');
    const words = quote.highlights.map((h: { start: number; end: number }) => [...quote.text].slice(h.start, h.end).join(''));
    expect(words).toEqual(['holds', 'holds']);
  });
});

describe('the read model is kept by the writing transaction', () => {
  test('a new stance, a renamed party and a withdrawal show in the very next search', async () => {
    const speaker = await makeParty(t, { name: 'Quokka Ministry' });
    const denier = await makeParty(t, { name: 'Wombat Office' });
    const c = await makeClaim(t, { statement: 'The quokka corridor reopened', party: speaker.id, quote: 'quokka trucks crossed' });
    expect(await staleCount()).toBe(0);
    let hit = (await page(q('quokka'))).body.data[0];
    expect(hit).toMatchObject({ id: c.id, contestation: 'uncontested', attributedSummary: 'Quokka Ministry says The quokka corridor reopened.' });

    const denial = await addStance(t, c.id, denier.id, 'DENIES');
    hit = (await page(q('quokka'))).body.data[0];
    expect(hit.contestation).toBe('contested');
    expect(hit.positions.denies.map((p: { party: { name: string } }) => p.party.name)).toEqual(['Wombat Office']);
    expect(hit.attributedSummary).toBe('Quokka Ministry says The quokka corridor reopened; Wombat Office denies this.');

    const read = await reader.get(`/v1/parties/${denier.id}`);
    expect((await editor.patch(`/v1/parties/${denier.id}`, { name: 'Numbat Office' }, read.headers.etag)).status).toBe(200);
    hit = (await page(q('quokka'))).body.data[0];
    expect(hit.attributedSummary).toBe('Quokka Ministry says The quokka corridor reopened; Numbat Office denies this.');
    expect(hit.positions.denies[0].party).toMatchObject({ id: denier.id, name: 'Numbat Office' });

    expect((await editor.post(`/v1/assertions/${denial.assertionId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
    hit = (await page(q('quokka'))).body.data[0];
    expect(hit).toMatchObject({ contestation: 'uncontested', positions: { denies: [] } });
    expect(await staleCount()).toBe(0);
  });

  test('a counter-claim by a party shows in the countered claim’s hit', async () => {
    const a = await makeParty(t, { name: 'Heron State' });
    const b = await makeParty(t, { name: 'Egret State' });
    const target = await makeClaim(t, { statement: 'The heron dam is safe', party: a.id });
    const counter = await makeClaim(t, { statement: 'The heron dam is leaking', party: b.id });
    const relation = await editor.post(`/v1/claims/${counter.id}/relations`).send({
      type: 'COUNTERS', targetClaimId: target.id, basis: 'PARTY', assertionId: counter.positions.affirms![0]!.assertionId,
    });
    expect(relation.status).toBe(201);
    const hit = (await page(q('heron safe'))).body.data[0];
    expect(hit).toMatchObject({ id: target.id, contestation: 'contested', attributedSummary: 'Heron State says The heron dam is safe; Egret State disputes this.' });
  });

  test('a hit left stale outside the service is presented the slow way, the same, until it is refreshed', async () => {
    const before = await page(q('gaza'));
    await t.db.prisma.$executeRawUnsafe('UPDATE "claim_hit" SET "body" = NULL');
    expect(await staleCount()).toBeGreaterThan(0);
    const stale = await page(q('gaza'));
    expect(stale.text).toBe(before.text);
    expect(await refreshAllStaleHits(t.db.prisma)).toBeGreaterThan(0);
    expect(await staleCount()).toBe(0);
    expect((await page(q('gaza'))).text).toBe(before.text);
  });

  test('Turkish: a quote from a Turkish source is read in Turkish and highlighted there', async () => {
    const party = await makeParty(t, { name: 'Lark Party' });
    const source = await makeSource(t, { text: 'Dedi ki: ateşkesler bozuldu.', language: 'tr' });
    const c = await makeClaim(t, { statement: 'Larks report broken truces', party: party.id, source: source.id, quote: 'ateşkesler bozuldu' });
    const hit = (await page(q('ateşkes'))).body.data.find((h: { id: string }) => h.id === c.id);
    expect(hit.matches).toEqual([{ field: 'quote', assertionId: c.positions.affirms![0]!.assertionId, text: 'ateşkesler bozuldu', highlights: [{ start: 0, end: 10 }] }]);
  });
});
