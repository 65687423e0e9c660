import { claimPageOut } from '../src/modules/claims/responses';
import { startTestApp, type Client, type TestApp } from './helpers/app';
import { addStance, makeClaim, makeParty, makePerson, makeSource, type ClaimOptions } from './helpers/factories';
import { expectProblem } from './helpers/problems';

/*
 * Issue 13: lookups that find what journalists mean. The search document
 * holds who asserts a claim (names, aliases, slugs of parties and
 * speakers); each text is stemmed in its own language; party= and speaker=
 * take a name or an alias and answer an unknown one with the closest
 * parties; cursors only continue the search they were issued for; the
 * summary line is written in the claim's language. In English, Turkish and
 * Arabic.
 */

let t: TestApp;
let editor: Client;
let reader: Client;

type Ref = { id: string; slug: string; name: string };
let turkiye: Ref;
let israel: Ref;
let hamas: Ref;
let fidan: Ref;
let dowlat: Ref;
let violating: { id: string };
let hostages: { id: string };
let ateskes: { id: string };
let arabic: { id: string };
let quoteOnly: { id: string };

const claim = (o: ClaimOptions) => makeClaim(t, o);

async function search(query: string) {
  const res = await reader.get(`/v1/claims?${query}`);
  expect(res.status).toBe(200);
  claimPageOut.parse(res.body);
  return res.body as { data: Array<{ id: string; attributedSummary: string; matches?: { field: string; text: string }[] }>; nextCursor: string | null };
}
const ids = async (query: string) => (await search(query)).data.map((c) => c.id);
const q = (s: string) => `q=${encodeURIComponent(s)}`;

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  turkiye = await makeParty(t, { name: 'Türkiye', aliases: ['Turkey', 'Türkei'], slug: 'turkiye' });
  israel = await makeParty(t, { name: 'Israel', aliases: ['İsrail', 'إسرائيل'] });
  hamas = await makeParty(t, { name: 'Hamas', kind: 'ARMED_GROUP', aliases: ['حماس'] }).catch(() => makeParty(t, { name: 'Hamas', aliases: ['حماس'] }));
  fidan = await makePerson(t, { name: 'Hakan Fidan' });
  dowlat = await makeParty(t, { name: 'دولة قطر', aliases: ['Qatar'] });
  violating = await claim({
    statement: 'Israel is regularly violating the Gaza ceasefire',
    party: turkiye.id,
    speaker: fidan.id,
    quote: 'the strikes go on every day',
    assertedAt: '2025-11-03',
  });
  await addStance(t, violating.id, israel.id, 'DENIES');
  hostages = await claim({ statement: 'The ceasefire requires Hamas to return the hostages', party: turkiye.id, quote: 'all of them', assertedAt: '2025-11-02' });
  ateskes = await claim({ statement: 'İsrail Gazze’deki ateşkesi ihlal ediyor', language: 'tr', party: turkiye.id, speaker: fidan.id, quote: 'saldırılar her gün sürüyor' });
  arabic = await claim({ statement: 'الاحتلال ينتهك الاتفاق في غزة', language: 'ar', party: hamas.id, quote: 'القصف مستمر', assertedAt: '2025-11-01' });
  quoteOnly = await claim({ statement: 'Talks resumed in Cairo', party: dowlat.id, quote: 'Israel is still shelling Gaza', assertedAt: '2025-11-05' });
});

afterAll(() => t.close());

describe('who says it is part of what is searched', () => {
  test('English: "Fidan ceasefire" finds what Hakan Fidan said about the ceasefire', async () => {
    expect(await ids(q('Fidan ceasefire'))).toEqual([violating.id]);
  });

  test('the README example: "Turkiye ceasefire -hamas"', async () => {
    const found = await ids(q('Turkiye ceasefire -hamas'));
    expect(found).toEqual([violating.id]);
    expect(found).not.toContain(hostages.id);
    // Without the exclusion, both claims Türkiye asserts about the ceasefire.
    expect((await ids(q('Turkiye ceasefire'))).sort()).toEqual([violating.id, hostages.id].sort());
  });

  test('Turkish: a speaker and a Turkish word, "Fidan ateşkes"', async () => {
    expect(await ids(q('Fidan ateşkes'))).toEqual([ateskes.id]);
  });

  test('Arabic: a party by its Arabic alias, "حماس"', async () => {
    expect(await ids(q('حماس'))).toEqual([arabic.id]);
    expect(await ids(q('حماس غزة'))).toEqual([arabic.id]);
    expect(await ids(q('حماس -الاتفاق'))).toEqual([]);
  });

  test('a renamed party is found under its new name, at once', async () => {
    const party = await makeParty(t, { name: 'Ministry of Lorem' });
    const c = await claim({ statement: 'A claim by a ministry soon renamed', party: party.id, quote: 'nothing to add' });
    expect(await ids(q('ipsumland'))).toEqual([]);
    const got = await reader.get(`/v1/parties/${party.id}`);
    const renamed = await editor.patch(`/v1/parties/${party.id}`, { aliases: ['Ipsumland Ministry'] }, got.headers.etag);
    expect(renamed.status).toBe(200);
    expect(await ids(q('ipsumland'))).toEqual([c.id]);
  });
});

describe('ranking', () => {
  test('a statement match ranks above a name match, a name match above a quote-only one', async () => {
    const found = await ids(q('Israel'));
    // violating: Israel in the statement; quoteOnly: Israel only in a quote.
    expect(found.indexOf(violating.id)).toBeLessThan(found.indexOf(quoteOnly.id));
    expect(found[0]).toBe(violating.id);
  });

  test('q=Gaza puts the claims that say Gaza in their statement first', async () => {
    const found = await ids(q('Gaza'));
    expect(found.slice(0, 1)).toEqual([violating.id]);
    expect(found.indexOf(violating.id)).toBeLessThan(found.indexOf(quoteOnly.id));
  });
});

describe('each text in its own language', () => {
  test('Turkish: "ateşkes" finds "ateşkesi" (and "Gazze" finds "Gazze’deki")', async () => {
    expect(await ids(q('ateşkes'))).toEqual([ateskes.id]);
    expect(await ids(q('gazze'))).toEqual([ateskes.id]);
    const [hit] = (await search(q('ateşkes'))).data;
    expect(hit!.matches!.map((m) => m.field)).toEqual(['statement']);
  });

  test('Arabic: "اتفاق" finds "الاتفاق"', async () => {
    expect(await ids(q('اتفاق'))).toEqual([arabic.id]);
  });

  test('English stemming still holds across the other languages: "violations" finds "violating"', async () => {
    expect(await ids(q('violations'))).toEqual([violating.id]);
  });
});

describe('party= and speaker= by name or alias', () => {
  test('English: a name, an alias, folded: Turkey, TURKIYE, türkiye', async () => {
    const theirs = [violating.id, hostages.id, ateskes.id].sort();
    for (const ref of ['Turkey', 'TURKIYE', 'türkiye', turkiye.slug, turkiye.id]) {
      expect((await ids(`party=${encodeURIComponent(ref)}`)).sort()).toEqual(theirs);
    }
    expect(await ids(`${q('ceasefire')}&party=Israel`)).toEqual([violating.id]);
    expect(await ids(`speaker=${encodeURIComponent('hakan fidan')}&${q('ceasefire')}`)).toEqual([violating.id]);
  });

  test('Turkish and Arabic names: party=İsrail, party=حماس, party=قطر by its Arabic name', async () => {
    expect(await ids(`party=${encodeURIComponent('İsrail')}`)).toEqual([violating.id]);
    expect(await ids(`party=${encodeURIComponent('حماس')}`)).toEqual([arabic.id]);
    expect(await ids(`party=${encodeURIComponent('دولة قطر')}`)).toEqual([quoteOnly.id]);
  });

  test('a misspelled party is a 422 naming the closest, never an empty list', async () => {
    const res = await reader.get('/v1/claims?party=Isreal');
    const problem = expectProblem(res, 422);
    expect(problem.detail).toMatch(/'Isreal'.*Israel \(israel\)/);
    expect(problem.suggestions.map((p: Ref) => p.id)).toContain(israel.id);
    expect(problem.errors).toEqual([{ path: 'party', message: 'no such party' }]);
    const speaker = expectProblem(await reader.get(`/v1/claims?speaker=${encodeURIComponent('Hakan Fiden')}`), 422);
    expect(speaker.suggestions[0].id).toBe(fidan.id);
    expect(speaker.errors[0].path).toBe('speaker');
    const turkish = expectProblem(await reader.get(`/v1/claims?party=${encodeURIComponent('Türkiyee')}`), 422);
    expect(turkish.suggestions[0].id).toBe(turkiye.id);
  });
});

describe('cursors belong to their search', () => {
  test('a cursor from q=Gaza sent with q=ceasefire is a 400 that says so', async () => {
    const first = await search('q=Gaza&limit=1');
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = await reader.get(`/v1/claims?q=Gaza&limit=1&cursor=${first.nextCursor}`);
    expect(next.status).toBe(200);
    const other = expectProblem(await reader.get(`/v1/claims?q=ceasefire&limit=1&cursor=${first.nextCursor}`), 400);
    expect(other.detail).toMatch(/another search/);
    expect(other.errors[0].path).toBe('cursor');
    expectProblem(await reader.get(`/v1/claims?q=Gaza&party=Israel&limit=1&cursor=${first.nextCursor}`), 400);
  });
});

describe('the summary line in the claim’s language', () => {
  test('Turkish and Arabic claims read in their own language, names as written', async () => {
    const [tr] = (await search(q('ateşkes'))).data;
    expect(tr!.attributedSummary).toBe('Türkiye (Hakan Fidan) şunu söylüyor: İsrail Gazze’deki ateşkesi ihlal ediyor.');
    const [ar] = (await search(`${q('اتفاق')}`)).data;
    expect(ar!.attributedSummary).toBe('يقول \u2068Hamas\u2069 إن الاحتلال ينتهك الاتفاق في غزة.');
    const [en] = (await search(q('Fidan ceasefire'))).data;
    expect(en!.attributedSummary).toBe('Türkiye (Hakan Fidan) says Israel is regularly violating the Gaza ceasefire; Israel denies this.');
  });
});

test('quotes are read in the language of their source', async () => {
  const source = await makeSource(t, { text: 'Bakan dedi ki: müzakereler sürüyor.', language: 'tr' });
  const c = await claim({ statement: 'Negotiations continue', party: turkiye.id, source: source.id, quote: 'müzakereler sürüyor' });
  expect(await ids(q('müzakere'))).toEqual([c.id]);
});

test('a search of exclusions only still pages through every hit', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await search(`${q('-zzzqqq')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor && seen.length < 100);
  expect(seen).toEqual(expect.arrayContaining([violating.id, hostages.id, ateskes.id, arabic.id, quoteOnly.id]));
  expect(new Set(seen).size).toBe(seen.length);
});
