import { evaluateDrafts, formatReport, loadEvalLedger } from '../scripts/draft-eval';
import { ADMIN_KEY, startTestApp, type TestApp } from './helpers/app';
import { expectFieldError, expectProblem, writeState } from './helpers/problems';
import { listen, rawRequest } from './helpers/raw-http';

/*
 * The draft check (SPEC §6, issue 12) over HTTP, on the seed story and the
 * labelled set's multilingual ledger: verdicts in the SPEC's order,
 * offsets in code points, attribution through names, aliases, affiliated
 * people and surnames, and every kind of bad input a clear 4xx.
 */

const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const GENOCIDE = '019a4a10-0000-7000-8000-000000000004';
const TR_CEASEFIRE = '019a4a20-0000-7000-8000-000000000001';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await loadEvalLedger(t.ctx);
}, 120_000);
afterAll(() => t.close());

const check = async (body: unknown) => (await t.as('READER')).post('/v1/drafts/check', body);

describe('POST /v1/drafts/check', () => {
  test('flags the careless draft sentence by sentence, in text order, with the attributed wording', async () => {
    const res = await check({ text: 'Israel is regularly violating the ceasefire. The war in Gaza is a genocide. Ministers met on Monday.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ language: 'en', sentences: 3 });
    expect(res.body.findings.map((f: any) => [f.start, f.end, f.text, f.claim.id, f.verdict, f.severity, f.polarity])).toEqual([
      [0, 44, 'Israel is regularly violating the ceasefire.', CEASEFIRE, 'stated-as-fact', 'high', 'affirms'],
      [45, 75, 'The war in Gaza is a genocide.', GENOCIDE, 'stated-as-fact', 'high', 'affirms'],
    ]);
    const [first] = res.body.findings;
    expect(first.suggestion).toBe(first.claim.attributedSummary);
    expect(first.suggestion).toMatch(/^Türkiye \(Hakan Fidan\) .* say Israel is regularly violating the Gaza ceasefire; Israel disputes this\.$/);
    expect(first.message).toContain('Israel disputes it with a counter-claim');
    expect(first.claim.positions.affirms.map((p: any) => p.party.slug)).toEqual(['turkiye', 'istanbul-gaza-ministerial-meeting']);
    expect(first.score).toBeGreaterThan(0.6);
    expect(first.attributedTo).toEqual([]);
    // Israel holds no position on it: it counters it with a claim of its own, and the finding names it so.
    expect(first.claim.positions.denies).toEqual([]);
    expect(first.claim.positions.questions).toEqual([]);
    expect(first.claim.counteredBy.map((p: any) => [p.slug, p.name])).toEqual([['israel', 'Israel']]);
    expect(res.body.findings[1].claim.counteredBy).toEqual([]);
  });

  test.each([
    ['Israel is not violating the Gaza ceasefire.', 'stated-as-fact', 'negates', []],
    ["Israel's war in Gaza is a genocide, Turkiye said.", 'one-sided', 'affirms', ['turkiye:AFFIRMS']],
    ['Türkiye called Israel’s war in Gaza a genocide, which Israel denies.', 'attributed', 'affirms', ['turkiye:AFFIRMS', 'israel:DENIES']],
    ['Israel said its war in Gaza is a genocide.', 'misattributed', 'affirms', ['israel:AFFIRMS']],
    ['Hamas has not returned the remaining bodies of hostages.', 'unattributed', 'affirms', []],
    ['Hakan Fidan told reporters countries are still working on a UN Security Council mandate for the Gaza stabilisation force.', 'attributed', 'affirms', ['turkiye:AFFIRMS']],
  ])('%s → %s', async (text, verdict, polarity, attributed) => {
    const res = await check({ text, language: 'en' });
    expect(res.status).toBe(200);
    expect(res.body.findings).toHaveLength(1);
    const [f] = res.body.findings;
    expect([f.verdict, f.polarity, f.attributedTo.map((a: any) => `${a.party.slug}:${a.stance}`)]).toEqual([verdict, polarity, attributed]);
  });

  test('a person is known by surname after a first mention, and speaks for the party they serve', async () => {
    const res = await check({ text: 'Hakan Fidan met ministers in Istanbul. Fidan said Israel was regularly violating the Gaza ceasefire, which Israel disputes.' });
    expect(res.body.findings.map((f: any) => [f.verdict, f.attributedTo.map((a: any) => a.party.slug)])).toEqual([['attributed', ['turkiye', 'israel']]]);
    const alone = await check({ text: 'Fidan said Israel was regularly violating the Gaza ceasefire.' });
    expect(alone.body.findings[0].verdict).toBe('stated-as-fact');
  });

  test('a Turkish draft meets the Turkish claim through its suffixes, with the names in their case forms', async () => {
    const res = await check({ text: "Türkiye, İsrail'in Gazze'deki ateşkesi düzenli olarak ihlal ettiğini söyledi." });
    expect(res.body.language).toBe('tr');
    expect(res.body.findings).toHaveLength(1);
    expect(res.body.findings[0]).toMatchObject({ verdict: 'one-sided', claim: { id: TR_CEASEFIRE }, attributedTo: [{ party: { slug: 'turkiye' }, stance: 'AFFIRMS' }] });
  });

  test('Arabic: the clitic و is not in the way of the cue or the name', async () => {
    const res = await check({ text: 'وقالت إسرائيل إنها تنتهك وقف إطلاق النار في غزة بانتظام.' });
    expect(res.body.language).toBe('ar');
    expect(res.body.findings[0]).toMatchObject({ verdict: 'misattributed', attributedTo: [{ party: { slug: 'israel' }, stance: 'AFFIRMS' }] });
  });

  test('offsets count code points: an emoji before a sentence moves it by one', async () => {
    const res = await check({ text: '🙂 Ministers met. Israel is regularly violating the ceasefire.', language: 'en' });
    const [f] = res.body.findings;
    expect([f.start, f.end]).toEqual([17, 61]);
    expect([...'🙂 Ministers met. Israel is regularly violating the ceasefire.'].slice(f.start, f.end).join('')).toBe(f.text);
  });

  test('a draft that says nothing the ledger knows answers 200 with no findings; one shared word is no match', async () => {
    const res = await check({ text: 'Sabotage is a crime in Gaza and elsewhere. The weather in Istanbul was mild.' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ language: 'en', sentences: 2, findings: [] });
  });

  test('writes nothing', async () => {
    const before = await writeState(t);
    await check({ text: 'Israel is regularly violating the ceasefire.' });
    expect(await writeState(t)).toEqual(before);
  });

  test('needs an API key; any role may check', async () => {
    expectProblem(await t.http.post('/v1/drafts/check').send({ text: 'x y' }), 401);
    const res = await t.http.post('/v1/drafts/check').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ text: 'Gaza urgently needs reconstruction.' });
    expect(res.body.findings[0].verdict).toBe('unattributed');
  });
});

describe('bad input is a clear 4xx', () => {
  test('empty and blank text', async () => {
    expectFieldError(await check({ text: '' }), 'text', /empty/);
    expectFieldError(await check({ text: '  \n ' }), 'text', /empty/);
    expectFieldError(await check({}), 'text');
  });

  test('more than 100,000 code points (counted as code points, not UTF-16 units)', async () => {
    expectFieldError(await check({ text: 'a'.repeat(100_001) }), 'text', /100,000 code points/);
    const astral = '🙂'.repeat(100_000);
    const res = await check({ text: astral });
    expect(res.status).toBe(200);
    expect(res.body.findings).toEqual([]);
  }, 60_000);

  test('unknown fields, wrong types, a language tag that is not BCP 47', async () => {
    expectFieldError(await check({ text: 'Israel is violating.', draft: true }), '(root)', /unknown field/);
    expectFieldError(await check({ text: 42 }), 'text');
    expectFieldError(await check({ text: 'Israel.', language: 'english please' }), 'language', /BCP 47/);
    expectFieldError(await check({ text: 'Israel.', language: 'en-' }), 'language');
  });

  test('invalid UTF-8 and a body that is not JSON', async () => {
    const key = await t.keyFor('READER');
    const bytes = Buffer.concat([Buffer.from('{"text":"Israel '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const server = await listen(t);
    try {
      const res = await rawRequest(server.port, {
        method: 'POST',
        path: '/v1/drafts/check',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) },
        chunks: [bytes],
      });
      expect([res.status, res.headers['content-type'], res.body.detail]).toEqual([400, expect.stringMatching(/problem\+json/), expect.stringMatching(/UTF-8/)]);
    } finally {
      await server.close();
    }
    expectProblem(await t.http.post('/v1/drafts/check').set('Authorization', `Bearer ${key}`).set('Content-Type', 'text/plain').send('Israel'), 415);
  });
});

describe('the labelled set (npm run eval:drafts)', () => {
  test('at least 90 % right verdicts, at most one unrelated sentence in a hundred flagged', async () => {
    const report = await evaluateDrafts(t.ctx);
    const text = formatReport(report);
    expect(report.rows.length).toBeGreaterThanOrEqual(80);
    expect(Object.keys(report.byLanguage).length).toBeGreaterThanOrEqual(4);
    expect(report.unrelated).toBeGreaterThan(20);
    expect(report.right / report.rows.length).toBeGreaterThanOrEqual(0.9);
    expect(report.falseFindings.length / report.unrelated).toBeLessThanOrEqual(0.01);
    expect(text).toContain('confusion matrix');
  }, 120_000);
});
