import { startTestApp, type Client, type TestApp } from './helpers/app';
import { makeParty, makeSource } from './helpers/factories';

/*
 * Quote anchoring over HTTP (SPEC §1.4, invariant 4): offsets count Unicode
 * code points, the text is stored and compared exactly as given.
 */

let t: TestApp;
let editor: Client;
let reader: Client;
let party: string;
let baseClaim: string;

/** Code-point offsets of the one occurrence of `quote` in `text`, computed independently with Array.from. */
function codePointRange(text: string, quote: string, fromUnit = 0): { start: number; end: number } {
  const unit = text.indexOf(quote, fromUnit);
  if (unit < 0) throw new Error('quote not in text');
  const start = Array.from(text.slice(0, unit)).length;
  return { start, end: start + Array.from(quote).length };
}
const sliceCodePoints = (text: string, start: number, end: number) => Array.from(text).slice(start, end).join('');

async function source(text?: string) {
  return (await makeSource(t, text === undefined ? {} : { text })).id;
}

function assert(sourceId: string, quote: string, anchor?: Record<string, unknown>) {
  return editor.post(`/v1/claims/${baseClaim}/assertions`).send({
    partyId: party,
    sourceId,
    stance: 'AFFIRMS',
    quote,
    quoteKind: 'DIRECT',
    ...(anchor && { anchor }),
  });
}

async function stored(assertionId: string) {
  const rows = await t.db.sql.query<{ anchor_exact: string | null; anchor_start: number | null; anchor_end: number | null; anchor_prefix: string | null; anchor_suffix: string | null; quote: string }>(
    'SELECT anchor_exact, anchor_start, anchor_end, anchor_prefix, anchor_suffix, quote FROM assertion WHERE id = $1',
    [assertionId],
  );
  return rows[0]!;
}

async function assertionCount(): Promise<number> {
  return (await t.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM assertion'))[0]!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  editor = await t.as('EDITOR');
  reader = await t.as('READER');
  party = (await makeParty(t, { name: 'Türkiye', kind: 'STATE' })).id;
  const text = 'A base text with a base quote in it.';
  const src = await source(text);
  const res = await editor.post('/v1/claims').send({
    statement: 'A base claim the tests add assertions to',
    assertion: { partyId: party, sourceId: src, stance: 'AFFIRMS', quote: 'a base quote', quoteKind: 'DIRECT' },
  });
  expect(res.status).toBe(201);
  baseClaim = res.body.id;
});
afterAll(() => t.close());

describe('anchoring in several scripts, with code-point offsets', () => {
  test('Turkish: the server finds the quote and stores its code-point offsets', async () => {
    const text = "Dışişleri Bakanı Hakan Fidan, İsrail'in ateşkesi düzenli olarak ihlal ettiğini söyledi.";
    const quote = "İsrail'in ateşkesi düzenli olarak ihlal ettiğini";
    const res = await assert(await source(text), quote);
    expect(res.status).toBe(201);
    const expected = codePointRange(text, quote);
    expect(res.body.anchor).toMatchObject({ exact: quote, ...expected });
    expect(res.body.anchor.prefix).toBe(sliceCodePoints(text, Math.max(0, expected.start - 32), expected.start));
    expect(res.body.anchor.suffix).toBe(sliceCodePoints(text, expected.end, expected.end + 32));
    const row = await stored(res.body.assertionId);
    expect([row.anchor_start, row.anchor_end]).toEqual([expected.start, expected.end]);
    expect(row.anchor_exact).toBe(quote);
    expect(sliceCodePoints(text, row.anchor_start!, row.anchor_end!)).toBe(quote);
  });

  test('Arabic: offsets are code points of the right-to-left text as stored', async () => {
    const text = 'قال وزير الخارجية إن إسرائيل تنتهك وقف إطلاق النار بانتظام';
    const quote = 'إسرائيل تنتهك وقف إطلاق النار';
    const res = await assert(await source(text), quote);
    expect(res.status).toBe(201);
    const expected = codePointRange(text, quote);
    expect(expected.start).toBe(21);
    const row = await stored(res.body.assertionId);
    expect([row.anchor_start, row.anchor_end]).toEqual([expected.start, expected.end]);
    expect(row.anchor_exact).toBe(quote);
  });

  test('emoji and astral characters before the quote count once each, not as UTF-16 units', async () => {
    const text = '🇹🇷🇵🇰 😀 𝐁𝐫𝐞𝐚𝐤𝐢𝐧𝐠: Fidan said Israel is regularly violating the ceasefire.';
    const quote = 'Israel is regularly violating the ceasefire';
    const res = await assert(await source(text), quote);
    expect(res.status).toBe(201);
    const expected = codePointRange(text, quote);
    expect(expected.start).not.toBe(text.indexOf(quote)); // the test means something only if they differ
    const row = await stored(res.body.assertionId);
    expect([row.anchor_start, row.anchor_end]).toEqual([expected.start, expected.end]);
    expect(res.body.anchor).toMatchObject({ start: expected.start, end: expected.end, exact: quote });
  });

  test('a quote that itself holds emoji ends at start + its length in code points', async () => {
    const text = 'Posted: 🇵🇸 ceasefire now 🕊️ — said the account.';
    const quote = '🇵🇸 ceasefire now 🕊️';
    const res = await assert(await source(text), quote);
    expect(res.status).toBe(201);
    const expected = codePointRange(text, quote);
    expect(res.body.anchor).toMatchObject({ start: expected.start, end: expected.end });
    expect(expected.end - expected.start).toBe(Array.from(quote).length);
    expect(expected.end - expected.start).not.toBe(quote.length);
  });

  test('explicit {start, end} in code points that select the quote are accepted', async () => {
    const text = '🇹🇷 Fidan: İsrail ateşkesi ihlal ediyor. 🇹🇷';
    const quote = 'İsrail ateşkesi ihlal ediyor';
    const range = codePointRange(text, quote);
    const res = await assert(await source(text), quote, { start: range.start, end: range.end });
    expect(res.status).toBe(201);
    const row = await stored(res.body.assertionId);
    expect([row.anchor_start, row.anchor_end]).toEqual([range.start, range.end]);
  });

  test('explicit UTF-16 offsets are not code points and are refused when they differ', async () => {
    const text = '😀😀 Fidan: the ceasefire is being violated, he said, and repeated it.';
    const quote = 'the ceasefire is being violated';
    const unit = text.indexOf(quote);
    const res = await assert(await source(text), quote, { start: unit, end: unit + quote.length });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/anchor-mismatch');
  });
});

describe('refusals', () => {
  const TEXT = 'The minister said the truce holds. Later the minister said the truce holds, again.';

  test('offsets that select other text → 422 anchor-mismatch, nothing written', async () => {
    const count = await assertionCount();
    const res = await assert(await source(TEXT), 'the truce holds', { start: 0, end: 15 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/anchor-mismatch' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor' })]);
    expect(await assertionCount()).toBe(count);
  });

  test('offsets beyond the end of the text → 422', async () => {
    const res = await assert(await source('short text'), 'text', { start: 6, end: 400 });
    expect(res.status).toBe(422);
    expect(res.body.status).toBe(422);
  });

  test('a quote absent from the text → 422 quote-not-found', async () => {
    const count = await assertionCount();
    const res = await assert(await source(TEXT), 'the truce has collapsed');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/quote-not-found' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'quote' })]);
    expect(await assertionCount()).toBe(count);
  });

  test('on POST /v1/claims the error path names the nested assertion', async () => {
    const res = await editor.post('/v1/claims').send({
      statement: 'Not in the text',
      assertion: { partyId: party, sourceId: await source(TEXT), stance: 'AFFIRMS', quote: 'never said', quoteKind: 'DIRECT' },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/quote-not-found');
  });

  test('a quote occurring twice without prefix or suffix → 422 quote-ambiguous', async () => {
    const res = await assert(await source(TEXT), 'the truce holds');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/quote-ambiguous' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor' })]);
  });

  test('a prefix that disambiguates → 201 anchored at the right occurrence', async () => {
    const src = await source(TEXT);
    const second = codePointRange(TEXT, 'the truce holds', TEXT.indexOf('Later'));
    const res = await assert(src, 'the truce holds', { prefix: 'Later the minister said ' });
    expect(res.status).toBe(201);
    expect(res.body.anchor).toMatchObject({ exact: 'the truce holds', prefix: 'Later the minister said ', ...second });

    const first = codePointRange(TEXT, 'the truce holds');
    const bySuffix = await assert(src, 'the truce holds', { suffix: '. Later' });
    expect(bySuffix.status).toBe(201);
    expect(bySuffix.body.anchor).toMatchObject({ start: first.start, end: first.end, suffix: '. Later' });
  });

  test('a prefix that fits neither occurrence → 422 quote-not-found', async () => {
    const res = await assert(await source(TEXT), 'the truce holds', { prefix: 'Nobody said ' });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/quote-not-found');
  });

  test('offsets with a prefix that does not precede them → 422', async () => {
    const range = codePointRange(TEXT, 'the truce holds');
    const res = await assert(await source(TEXT), 'the truce holds', { ...range, prefix: 'Later the minister said ' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor.prefix' })]);
  });

  test('anchor.exact different from quote → 422', async () => {
    const res = await assert(await source(TEXT), 'the truce holds', { exact: 'the minister said', prefix: 'The ' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/quote-anchor-mismatch' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor.exact' })]);
  });

  test('only start without end → 400', async () => {
    const res = await assert(await source(TEXT), 'the truce holds', { start: 22 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, type: '/problems/invalid-input' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor.end' })]);
  });

  test('end not after start, negative or fractional offsets → 400', async () => {
    const src = await source(TEXT);
    for (const anchor of [{ start: 5, end: 5 }, { start: -1, end: 4 }, { start: 1.5, end: 4 }]) {
      const res = await assert(src, 'the truce holds', anchor);
      expect(res.status).toBe(400);
    }
  });

  test('an unknown anchor field → 400', async () => {
    const res = await assert(await source(TEXT), 'the truce holds', { prefix: 'The minister said ', page: 2 });
    expect(res.status).toBe(400);
  });

  test('a source without text and an anchor given → 422', async () => {
    const res = await assert(await source(), 'anything at all', { exact: 'anything at all' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, type: '/problems/source-has-no-text' });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'anchor' })]);
  });

  test('a source without text and no anchor → 201 with anchor null', async () => {
    const res = await assert(await source(), 'words we could not check');
    expect(res.status).toBe(201);
    expect(res.body.anchor).toBeNull();
    const row = await stored(res.body.assertionId);
    expect(row.anchor_exact).toBeNull();
    expect(row.anchor_start).toBeNull();
    expect(row.quote).toBe('words we could not check');
  });
});

describe('text is stored and compared exactly', () => {
  const NFC = "Dışişleri Bakanı: İsrail'in ateşkesi ihlal ettiği açık. Café Noël";

  test('an NFD quote against NFC text is a different quote → 422', async () => {
    const src = await source(NFC.normalize('NFC'));
    const quote = "İsrail'in ateşkesi".normalize('NFD');
    expect(quote).not.toBe("İsrail'in ateşkesi"); // İ and ş decompose
    const res = await assert(src, quote);
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('/problems/quote-not-found');
    // The NFC form of the same words is found.
    expect((await assert(src, "İsrail'in ateşkesi")).status).toBe(201);
  });

  test('NFD text is stored as NFD and an NFD quote is anchored in code points of the decomposed text', async () => {
    const nfd = NFC.normalize('NFD');
    expect(nfd).not.toBe(NFC);
    const src = await source(nfd);
    const got = await reader.get(`/v1/sources/${src}`);
    expect(got.status).toBe(200);
    expect(got.body.text).toBe(nfd);
    expect(got.body.text).not.toBe(NFC);

    const quote = 'Café Noël'.normalize('NFD');
    const res = await assert(src, quote);
    expect(res.status).toBe(201);
    const expected = codePointRange(nfd, quote);
    expect(expected.start).not.toBe(codePointRange(NFC, 'Café Noël').start);
    const row = await stored(res.body.assertionId);
    expect([row.anchor_start, row.anchor_end]).toEqual([expected.start, expected.end]);
    expect(row.quote).toBe(quote);
    expect(row.anchor_exact).toBe(quote);

    // The NFC spelling is not in the NFD text.
    const nfcQuote = await assert(src, 'Café Noël');
    expect(nfcQuote.status).toBe(422);
  });

  test('whitespace is not trimmed from the source text or the quote', async () => {
    const text = '  Fidan:   two  spaces  matter \n';
    const src = await source(text);
    expect((await reader.get(`/v1/sources/${src}`)).body.text).toBe(text);
    const quote = 'two  spaces  matter ';
    const res = await assert(src, quote);
    expect(res.status).toBe(201);
    expect(res.body.quote).toBe(quote);
    expect(res.body.anchor).toMatchObject(codePointRange(text, quote));
    expect((await assert(src, 'two spaces matter')).status).toBe(422);
  });
});
