import { claimPageOut } from '../src/modules/claims/responses';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makePerson, makeSource, type ClaimOptions } from './helpers/factories';

/*
 * Claim search (SPEC §3.2, issue 3): full text over statements and active
 * quotes in any language, web-search syntax, filters that combine,
 * relevance and recency orders, where each hit matched, and keyset pages
 * that stay stable while claims are inserted.
 */

let t: TestApp;
let editor: Client;
let reader: Client;

type Ref = { id: string; slug: string; name: string };
let turkiye: Ref;
let israel: Ref;
let pakistan: Ref;
let fidan: Ref;
let violating: { id: string };
let istanbul: { id: string };
let arabic: { id: string };
let urdu: { id: string };
let hostages: { id: string };
let israelDenial: string;
let fidanSource: string;

const claim = (o: ClaimOptions) => makeClaim(t, o);

async function search(query: string) {
  const res = await reader.get(`/v1/claims?${query}`);
  expect(res.status).toBe(200);
  claimPageOut.parse(res.body); // the documented shape (OpenAPI)
  for (const hit of res.body.data) {
    // Invariant 3: no statement without who affirms and who denies.
    expect(hit.positions).toEqual(expect.objectContaining({ affirms: expect.any(Array), denies: expect.any(Array) }));
    expect(typeof hit.attributedSummary).toBe('string');
  }
  return res.body as { data: Array<{ id: string; matches?: Match[]; positions: Record<string, Array<{ party: Ref }>> }>; nextCursor: string | null };
}
type Match = { field: string; assertionId?: string; text: string; highlights: { start: number; end: number }[] };
const ids = async (query: string) => (await search(query)).data.map((c) => c.id);
const sorted = (xs: string[]) => [...xs].sort();
const slice = (text: string, h: { start: number; end: number }) => [...text].slice(h.start, h.end).join('');

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  turkiye = await makeParty(t, { name: 'Türkiye', aliases: ['Turkey', 'Turkiye'] });
  israel = await makeParty(t, { name: 'Israel' });
  pakistan = await makeParty(t, { name: 'Pakistan' });
  fidan = await makePerson(t, { name: 'Hakan Fidan' });
  const fidanQuote = 'Israel is regularly violating the ceasefire in Gaza';
  fidanSource = (await makeSource(t, { text: `Hakan Fidan said: ${fidanQuote}.` })).id;
  violating = await claim({
    statement: 'Israel is regularly violating the Gaza ceasefire',
    party: turkiye.id,
    speaker: fidan.id,
    quote: fidanQuote,
    source: fidanSource,
    assertedAt: '2025-11-03',
    topics: ['ceasefire-violations'],
  });
  israelDenial = (await addStance(t, violating.id, israel.id, 'DENIES', { assertedAt: '2025-11-05' })).assertionId;
  // Israel's quote in its own words, recorded on the same claim.
  const committed = await makeSource(t, { text: 'Israel remains committed to the plan.' });
  await editor.post(`/v1/claims/${violating.id}/assertions`).send({
    partyId: israel.id, sourceId: committed.id, stance: 'DENIES', quote: 'Israel remains committed to the plan', quoteKind: 'DIRECT', assertedAt: '2025-11-04',
  });
  istanbul = await claim({ statement: 'Türkiye hosted the Istanbul meeting on Gaza', party: turkiye.id, quote: 'the ministers met in Istanbul', assertedAt: '2025-11-02' });
  arabic = await claim({ statement: 'إسرائيل تنتهك وقف إطلاق النار في غزة', party: pakistan.id, quote: 'الاحتلال ينتهك الاتفاق', assertedAt: '2025-11-01' });
  urdu = await claim({ statement: 'پاکستان فلسطینی ریاست کی حمایت کرتا ہے', party: pakistan.id, quote: 'ہم فلسطینی عوام کے ساتھ ہیں', assertedAt: '2025-10-30' });
  hostages = await claim({
    statement: 'Hamas has not returned the remaining hostage bodies',
    party: israel.id,
    quote: 'Israel says Hamas has not upheld its agreement',
    assertedAt: '2025-11-04',
    topics: ['hostage-remains'],
  });
});

afterAll(() => t.close());

describe('matching in any language', () => {
  test('is accent- and case-insensitive: "Turkiye" and "TÜRKİYE" find Türkiye', async () => {
    // In the statement first; then where Türkiye is the party asserting it.
    expect(await ids('q=Turkiye')).toEqual([istanbul.id, violating.id]);
    expect(await ids(`q=${encodeURIComponent('TÜRKİYE')}`)).toEqual([istanbul.id, violating.id]);
  });

  test('stems English: "violations" finds "violating"', async () => {
    expect(await ids('q=violations')).toEqual([violating.id]);
  });

  test('finds Arabic and Urdu words as written', async () => {
    expect(await ids(`q=${encodeURIComponent('غزة')}`)).toEqual([arabic.id]);
    expect(await ids(`q=${encodeURIComponent('الاتفاق')}`)).toEqual([arabic.id]);
    expect(await ids(`q=${encodeURIComponent('فلسطینی')}`)).toEqual([urdu.id]);
  });

  test('searches the quotes of active assertions, and says which one matched', async () => {
    const res = await search('q=committed');
    expect(res.data.map((c) => c.id)).toEqual([violating.id]);
    const [match] = res.data[0]!.matches!;
    expect(match).toEqual(expect.objectContaining({ field: 'quote', assertionId: expect.any(String), text: 'Israel remains committed to the plan' }));
    expect(match!.highlights.map((h) => slice(match!.text, h))).toEqual(['committed']);
  });

  test('stops finding a quote once its assertion is withdrawn', async () => {
    const quote = 'a withdrawn zanzibar remark';
    const c = await claim({ statement: 'A claim with a quote to withdraw', party: israel.id, quote: 'an active remark stays' });
    const source = await makeSource(t, { text: `Said: ${quote}.` });
    const added = await editor.post(`/v1/claims/${c.id}/assertions`).send({ partyId: pakistan.id, sourceId: source.id, stance: 'QUESTIONS', quote, quoteKind: 'DIRECT' });
    expect(added.status).toBe(201);
    expect(await ids('q=zanzibar')).toEqual([c.id]);
    expect((await editor.post(`/v1/assertions/${added.body.assertionId}/withdraw`).send({ reason: 'misattributed' })).status).toBe(200);
    expect(await ids('q=zanzibar')).toEqual([]);
  });

  test('follows a statement that is reworded', async () => {
    const c = await claim({ statement: 'A statement about quokkas', party: israel.id, quote: 'nothing special here' });
    const dossier = await reader.get(`/v1/claims/${c.id}`);
    expect((await editor.patch(`/v1/claims/${c.id}`, { statement: 'A statement about wombats' }, dossier.headers.etag)).status).toBe(200);
    expect(await ids('q=quokkas')).toEqual([]);
    expect(await ids('q=wombats')).toEqual([c.id]);
  });

  test('highlights statement words with code-point offsets, accents included', async () => {
    const res = await search('q=turkiye%20istanbul');
    const match = res.data[0]!.matches!.find((m) => m.field === 'statement')!;
    expect(match.text).toBe('Türkiye hosted the Istanbul meeting on Gaza');
    expect(match.highlights.map((h) => slice(match.text, h))).toEqual(['Türkiye', 'Istanbul']);
  });
});

describe('web-search syntax', () => {
  test('"exact phrase" matches the words in that order only', async () => {
    expect(await ids('q=%22ceasefire%20in%20Gaza%22')).toEqual([violating.id]);
    expect(await ids('q=%22Gaza%20ceasefire%22')).toEqual([violating.id]);
    expect(await ids('q=%22ceasefire%20Israel%22')).toEqual([]);
  });

  test('-word excludes, or widens', async () => {
    // The statements that name Israel first, then the claims Israel asserts.
    expect(sorted((await ids('q=israel')).slice(0, 2))).toEqual(sorted([violating.id, hostages.id]));
    const withoutHamas = await ids('q=israel%20-hamas');
    expect(withoutHamas[0]).toBe(violating.id);
    expect(withoutHamas).not.toContain(hostages.id);
    expect(sorted(await ids('q=hamas%20or%20istanbul'))).toEqual(sorted([istanbul.id, hostages.id]));
  });

  test('a query of stop words only finds nothing', async () => {
    expect(await ids('q=the')).toEqual([]);
  });
});

describe('filters combine with the search', () => {
  test('party: any active assertion by that party; with stance, only that stance', async () => {
    expect(sorted(await ids(`q=gaza&party=${turkiye.slug}`))).toEqual(sorted([violating.id, istanbul.id]));
    expect(await ids(`q=gaza&party=${israel.slug}`)).toEqual([violating.id]);
    expect(await ids(`q=gaza&party=${israel.slug}&stance=DENIES`)).toEqual([violating.id]);
    expect(await ids(`q=gaza&party=${israel.slug}&stance=AFFIRMS`)).toEqual([]);
  });

  test('speaker, topic, contested, source and when it was said', async () => {
    expect(await ids(`q=gaza&speaker=${fidan.id}`)).toEqual([violating.id]);
    expect(await ids('q=gaza&topic=ceasefire-violations')).toEqual([violating.id]);
    expect(await ids('q=gaza&contested=true')).toEqual([violating.id]);
    expect(sorted(await ids('q=gaza&contested=false'))).toEqual(sorted([istanbul.id]));
    expect(await ids(`q=gaza&source=${fidanSource}`)).toEqual([violating.id]);
    expect(await ids('q=gaza&from=2025-11-02&to=2025-11-02')).toEqual([istanbul.id]);
    expect(sorted(await ids('q=israel&from=2025-11-04'))).toEqual(sorted([violating.id, hostages.id]));
  });

  test('every hit carries its attribution: who affirms and who denies', async () => {
    const res = await search('q=gaza');
    const hit = res.data.find((c) => c.id === violating.id)!;
    expect(hit.positions.affirms!.map((p) => p.party.id)).toEqual([turkiye.id]);
    expect(hit.positions.denies!.map((p) => p.party.id)).toEqual([israel.id]);
    for (const c of res.data) expect(c.matches!.length).toBeGreaterThan(0);
  });
});

describe('ordering', () => {
  test('by relevance: a statement match outranks a quote-only match; ties go to the latest assertion', async () => {
    const quoteOnly = await claim({ statement: 'Ministers spoke after the meeting', party: pakistan.id, quote: 'the narwhal talks went well', assertedAt: '2025-12-01' });
    const older = await claim({ statement: 'Talk of the narwhal accord', party: pakistan.id, quote: 'nothing more', assertedAt: '2025-01-01' });
    const newer = await claim({ statement: 'Talk of the narwhal accord', party: israel.id, quote: 'nothing more', assertedAt: '2025-06-01' });
    expect(await ids('q=narwhal')).toEqual([newer.id, older.id, quoteOnly.id]);
    expect(await ids('q=narwhal&sort=recent')).toEqual([quoteOnly.id, newer.id, older.id]);
  });

  test('sort=recent orders by the latest active assertion, not by creation', async () => {
    expect(await ids('q=gaza&sort=recent')).toEqual([violating.id, istanbul.id]);
    // A new stance on the older claim moves it to the top.
    await addStance(t, istanbul.id, israel.id, 'QUESTIONS', { assertedAt: '2025-11-20' });
    expect(await ids('q=gaza&sort=recent')).toEqual([istanbul.id, violating.id]);
  });

  test('refuses a cursor issued for another order', async () => {
    const first = await search('q=narwhal&limit=1');
    expect(first.nextCursor).toEqual(expect.any(String));
    expect((await reader.get(`/v1/claims?q=narwhal&sort=recent&cursor=${first.nextCursor}`)).status).toBe(400);
    expect((await reader.get('/v1/claims?sort=loudest')).status).toBe(400);
  });
});

describe('pagination', () => {
  async function pageAll(query: string, during: () => Promise<void>) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await search(`${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.data.map((c) => c.id));
      cursor = res.nextCursor;
      pages += 1;
      if (pages === 1) await during();
    } while (cursor && pages < 20);
    return seen;
  }

  test.each(['relevance', 'recent'])('by %s: every claim once, in order, while claims are inserted', async (sort) => {
    const word = `platypus${sort}`;
    const originals: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      originals.push((await claim({ statement: `The ${word} report`, party: israel.id, quote: `quote ${i}`, assertedAt: `2025-0${i + 1}-10` })).id);
    }
    const seen = await pageAll(`q=${word}&sort=${sort}`, async () => {
      await claim({ statement: `The ${word} report`, party: israel.id, quote: 'late', assertedAt: '2025-01-15' });
      await claim({ statement: `The ${word} report`, party: israel.id, quote: 'later', assertedAt: '2025-09-15' });
    });
    expect(new Set(seen).size).toBe(seen.length);
    const originalsSeen = seen.filter((id) => originals.includes(id));
    expect(originalsSeen).toEqual([...originals].reverse());
  });
});
