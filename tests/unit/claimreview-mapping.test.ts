import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLooseDate } from '../../src/modules/claimreview/dates';
import { extractFromHtml, extractFromJson, parseLenientJson } from '../../src/modules/claimreview/jsonld';
import { cleanText, isCollectiveName, mapClaimReview, type MappedClaimReview } from '../../src/modules/claimreview/mapping';
import { mapRating, ratingFromLabel, ratingFromValue } from '../../src/modules/claimreview/ratings';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/claimreview', name), 'utf8');

function mapped(value: unknown, pageUrl: string | null = null): MappedClaimReview {
  const result = mapClaimReview(value, { pageUrl });
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

const base = {
  '@type': 'ClaimReview',
  claimReviewed: 'The river is poisoned',
  author: { '@type': 'Organization', name: 'Desk Check' },
  reviewRating: { '@type': 'Rating', alternateName: 'False' },
  url: 'https://check.example.org/river',
};

describe('dates as fact-checkers write them', () => {
  test.each([
    ['2022-01-28', { iso: '2022-01-28', precision: 'DAY' }],
    ['2022-01-28 18:35', { iso: '2022-01-28T18:35:00.000Z', precision: 'INSTANT' }],
    ['2020-06-16T20:15:35+05:30', { iso: '2020-06-16T14:45:35.000Z', precision: 'INSTANT' }],
    ['28/01/2022', { iso: '2022-01-28', precision: 'DAY' }],
    ['01/28/2022', { iso: '2022-01-28', precision: 'DAY' }],
    ['28.01.2022', { iso: '2022-01-28', precision: 'DAY' }],
    ['28 janvier 2022', { iso: '2022-01-28', precision: 'DAY' }],
    ['28 de enero de 2022', { iso: '2022-01-28', precision: 'DAY' }],
    ['January 28, 2022', { iso: '2022-01-28', precision: 'DAY' }],
  ])('reads %s', (input, expected) => {
    expect(parseLooseDate(input)).toEqual(expected);
  });

  test.each(['yesterday', '31/02/2022', '2999-01-01', '1066-10-14', '', 42])('gives up on %p', (input) => {
    expect(parseLooseDate(input)).toBeNull();
  });
});

describe('ratings', () => {
  test('places ratingValue within worstRating..bestRating, numbers as strings', () => {
    expect(['1', '2', '3', '4', '5'].map((v) => ratingFromValue(v, '1', '5'))).toEqual([
      'UNSUPPORTED',
      'MOSTLY_UNSUPPORTED',
      'MIXED',
      'MOSTLY_SUPPORTED',
      'SUPPORTED',
    ]);
    expect(ratingFromValue('1', '0', '5')).toBe('UNSUPPORTED');
    expect(ratingFromValue('7,5', 0, 10)).toBe('MOSTLY_SUPPORTED');
    expect(ratingFromValue(5, 5, 1)).toBe('UNSUPPORTED'); // a reversed scale
  });

  test('ignores a value outside its scale or a scale of one point', () => {
    expect(ratingFromValue('9', '1', '5')).toBeNull();
    expect(ratingFromValue('1', '1', '1')).toBeNull();
    expect(ratingFromValue('n/a', '1', '5')).toBeNull();
  });

  test('reads labels in the languages fact-checkers publish in, accents and case aside', () => {
    expect(ratingFromLabel('Faux')).toBe('UNSUPPORTED');
    expect(ratingFromLabel('FALSO')).toBe('UNSUPPORTED');
    expect(ratingFromLabel('Engañoso')).toBe('MOSTLY_UNSUPPORTED');
    expect(ratingFromLabel('Mostly True')).toBe('MOSTLY_SUPPORTED');
    expect(ratingFromLabel('Half-true')).toBe('MIXED');
    expect(ratingFromLabel('Irreführend')).toBe('MOSTLY_UNSUPPORTED');
    expect(ratingFromLabel('Unproven')).toBe('UNVERIFIABLE');
    expect(ratingFromLabel('Faux. Ce communiqué n’a jamais été publié')).toBe('UNSUPPORTED');
  });

  test('the value wins over the label; an unreadable label is DISPUTED, kept as written', () => {
    expect(mapRating({ ratingValue: '5', bestRating: '5', worstRating: '1', label: 'Faux' })).toEqual({ rating: 'SUPPORTED', label: 'Faux', basis: 'value' });
    expect(mapRating({ label: 'Reker hat diesen Satz nie gesagt' })).toEqual({ rating: 'DISPUTED', label: 'Reker hat diesen Satz nie gesagt', basis: 'unrecognised' });
    expect(mapRating({ ratingValue: '2', label: null })).toMatchObject({ rating: 'MOSTLY_UNSUPPORTED', label: '2/5' });
  });
});

describe('text from markup', () => {
  test('decodes HTML entities (twice-encoded too) and drops tags', () => {
    expect(cleanText('Caf&eacute; &amp;amp; <b>cr&#232;me</b>  &#8220;br&ucirc;l&eacute;e&#8221;')).toBe('Café & crème “brûlée”');
    expect(cleanText(['first', 'second'])).toBe('first');
    expect(cleanText('   ')).toBeNull();
  });

  test('recognises crowds that are not claimants', () => {
    for (const name of ['Sources multiples', 'Social media users', 'Usuarios de redes sociales', 'Viral post', 'unknown']) expect(isCollectiveName(name)).toBe(true);
    for (const name of ['Jéssica Albiach', 'Partido Ejemplo', 'Facebook, WhatsApp, Twitter']) expect(isCollectiveName(name)).toBe(false);
  });
});

describe('finding ClaimReviews', () => {
  test('in an HTML page: every JSON-LD block, other types skipped, an invalid block reported beside the valid ones', async () => {
    const found = (await extractFromHtml(fixture('fact-check-page.html')));
    expect(found.items.map((i) => i.at)).toEqual(['html:script[2].@graph[0]', 'html:script[2].@graph[1]']);
    expect(found.problems).toEqual([{ at: 'html:script[1]', reason: expect.stringMatching(/^not valid JSON/) }]);
    expect(found.items[0]).toMatchObject({ pageUrl: 'https://verif.example.org/2025/11/faux-communique-frontieres', language: 'fr' });
  });

  test('the caller’s page URL wins over the canonical link', async () => {
    expect((await extractFromHtml(fixture('fact-check-page.html'), 'https://mirror.example.org/x')).items[0]?.pageUrl).toBe('https://mirror.example.org/x');
  });

  test('in a DataFeed, an API response wrapping a list, a bare object, and a crawled page record', async () => {
    expect((await extractFromJson(JSON.parse(fixture('data-feed.json')))).items).toHaveLength(2);
    expect((await extractFromJson(JSON.parse(fixture('api-index.json')))).items.map((i) => i.at)).toEqual(['$.data[0]', '$.data[1]', '$.data[2]']);
    expect((await extractFromJson(JSON.parse(fixture('single.jsonld')))).items.map((i) => i.at)).toEqual(['$']);
    const crawled = (await extractFromJson(JSON.parse(fixture('crawled-page.json'))));
    expect(crawled.items[0]).toMatchObject({ at: '$.page:script[0]', pageUrl: 'https://checks.example.in/news/fake-last-message-fact-check', language: 'en' });
  });

  test('forgives trailing commas and raw newlines inside strings', () => {
    expect(parseLenientJson('{"a": "line\nbreak", "b": [1, 2,],}')).toEqual({ a: 'line break', b: [1, 2] });
  });

  test('@type as an array or with a vocabulary prefix', async () => {
    expect((await extractFromJson([{ ...base, '@type': ['Review', 'ClaimReview'] }, { ...base, '@type': 'schema:ClaimReview' }, { '@type': 'WebPage' }])).items).toHaveLength(2);
  });
});

describe('mapping one ClaimReview', () => {
  test('a person claimant with jobTitle and affiliation, a fact-checker, dates and a label-only rating', async () => {
    const [item] = (await extractFromJson(JSON.parse(fixture('api-index.json')))).items;
    const m = mapped(item!.value);
    expect(m.claimants).toEqual([
      expect.objectContaining({ name: 'Lucía Ferrer', kind: 'PERSON', jobTitle: 'Portavoz de Partido Ejemplo en el Congreso', affiliation: { name: 'Partido Ejemplo', kind: 'ORGANIZATION', url: null } }),
    ]);
    expect(m).toMatchObject({
      reviewer: { name: 'Comprobado', kind: 'MEDIA' },
      rating: 'MOSTLY_UNSUPPORTED',
      ratingLabel: 'Engañoso',
      claimDate: { iso: '2025-10-20', precision: 'DAY' },
      reviewDate: { iso: '2025-10-22', precision: 'DAY' },
      occasion: 'Radio Meseta',
      appearances: [],
    });
  });

  test('a "person" affiliated to itself is the organisation it names', async () => {
    const [, item] = (await extractFromJson(JSON.parse(fixture('api-index.json')))).items;
    expect(mapped(item!.value).claimants).toEqual([expect.objectContaining({ name: 'Partido Ejemplo', kind: 'ORGANIZATION', affiliation: null })]);
  });

  test('a missing or collective claimant becomes the unidentified-claimants party, keeping the published wording', () => {
    expect(mapped({ ...base, itemReviewed: { '@type': 'Claim' } }).claimants).toEqual([expect.objectContaining({ collective: true, publishedName: null })]);
    expect(mapped({ ...base, itemReviewed: { author: { name: 'Sources multiples' } } }).claimants).toEqual([
      expect.objectContaining({ collective: true, publishedName: 'Sources multiples', kind: 'COALITION' }),
    ]);
  });

  test('appearances become sources: social posts told apart from articles', async () => {
    const [item] = (await extractFromJson(JSON.parse(fixture('data-feed.json')))).items;
    expect(mapped(item!.value).appearances).toEqual([
      { url: 'https://twitter.com/example_user/status/1111111111', title: 'Appearance on twitter.com', kind: 'SOCIAL_POST', publishedAt: null },
      { url: 'https://blog.example.net/lindenau-wasser', title: 'Skandal in Lindenau', kind: 'ARTICLE', publishedAt: null },
    ]);
  });

  test('identity: the URL and the claim (a page may hold several), else a hash of author, claim and date', () => {
    const a = mapped(base);
    const b = mapped({ ...base, claimReviewed: 'The river is clean' });
    expect(a.identity).toMatch(/^url:https:\/\/check\.example\.org\/river#[0-9a-f]{16}$/);
    expect(a.identity).not.toBe(b.identity);
    expect(mapped({ ...base, claimReviewed: '  the RIVER is poisoned ' }).identity).toBe(a.identity);
    const { url: _url, ...noUrl } = base;
    expect(mapped(noUrl).identity).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(mapped(noUrl).identity).toBe(mapped({ ...noUrl, author: { name: 'desk check' } }).identity);
  });

  test('identity stays what earlier versions stored, dotless ı included, so a re-import is still recognised', () => {
    // Literals computed with the identity of the first release: changing how names are folded must not move them.
    const claimReviewed = 'Kırmızı ışıkta geçen araç sayısı iki katına çıktı';
    const turkish = { ...base, claimReviewed, author: { '@type': 'Organization', name: 'Doğruluk Payı' }, datePublished: '2025-11-03' };
    expect(mapped({ ...turkish, url: 'https://teyit.example.org/isik' }).identity).toBe('url:https://teyit.example.org/isik#0c783a29cdaa61fd');
    const { url: _url, ...noUrl } = turkish;
    expect(mapped(noUrl).identity).toBe('hash:e1086948067454c724ce382cdd4bf921edef1a2000020992e8649d82dc7eda79');
  });

  test('the page address stands in for a missing url; the host names a missing fact-checker', () => {
    const { url: _url, author: _author, ...bare } = base;
    expect(mapped(bare, 'https://www.check.example.org/p')).toMatchObject({ url: 'https://www.check.example.org/p', reviewer: { name: 'check.example.org', kind: 'MEDIA' } });
  });

  test.each([
    [{ ...base, claimReviewed: ' ' }, 'claimReviewed is missing or empty'],
    [{ ...base, claimReviewed: 'x'.repeat(1001) }, 'claimReviewed is longer than 1,000 characters, the longest statement a claim may have'],
    [{ ...base, reviewRating: undefined }, 'reviewRating is missing'],
    [{ ...base, author: undefined, url: undefined }, 'the fact-checker (author) is missing and the review has no URL to name it by'],
    ['a string', 'not a JSON object'],
  ])('rejects an item that cannot be a review (%#)', (value, reason) => {
    expect(mapClaimReview(value)).toEqual({ ok: false, reason });
  });

  test('recognises its own export by identifier', () => {
    expect(mapped({ ...base, identifier: 'counterpoint:review:019a4a10-0000-7000-8000-0000000000AA' }).exportedReviewId).toBe('019a4a10-0000-7000-8000-0000000000aa');
  });
});

describe('the shapes of the corpus (issue 15)', () => {
  test('placeholders in Portuguese, Turkish, Arabic, Hindi and Bengali are the unidentified claimant; platforms are not', () => {
    for (const name of ['Usuários de redes sociais', 'SOSYAL MEDYA KULLANICILARI', 'مواقع التواصل الاجتماعي', 'सोशल मीडिया यूज़र्स', 'সোশ্যাল মিডিয়া ব্যবহারকারী']) {
      expect(isCollectiveName(name)).toBe(true);
    }
    for (const name of ['X', 'ফেসবুক', 'Teyit']) expect(isCollectiveName(name)).toBe(false);
  });

  test('"Facebook,X,WhatsApp" is three claimants: a one-letter platform is a name', () => {
    const m = mapped({ ...base, itemReviewed: { '@type': 'Claim', author: { '@type': 'Organization', name: 'Facebook,X,WhatsApp' } } });
    expect(m.claimants.map((c) => c.name)).toEqual(['Facebook', 'X', 'WhatsApp']);
  });

  test('verdicts in Turkish, Arabic, Hindi, Bengali and German with ß are read', () => {
    expect(['Yarı Doğru', 'YANILTICI', 'زائف', 'फ़र्ज़ी', 'বিভ্রান্তিকর', 'Größtenteils falsch', 'Não é bem assim'].map(ratingFromLabel)).toEqual([
      'MIXED', 'MOSTLY_UNSUPPORTED', 'UNSUPPORTED', 'UNSUPPORTED', 'MOSTLY_UNSUPPORTED', 'MOSTLY_UNSUPPORTED', 'MIXED',
    ]);
  });

  test('@id references to the graph name the organisation and the signer; the page’s article signs an organisation’s review', async () => {
    const graph = {
      '@graph': [
        { '@type': 'Organization', '@id': '#org', name: 'Graph Desk', url: 'https://graph.example.org/' },
        { '@type': 'Person', '@id': '#ana', name: 'Ana Ruiz', worksFor: { '@id': '#org' } },
        { ...base, author: { '@id': '#ana' } },
      ],
    };
    const [byRef] = (await extractFromJson(graph)).items;
    expect(mapClaimReview(byRef!.value, byRef!)).toMatchObject({ ok: true, value: { reviewer: { name: 'Graph Desk', kind: 'MEDIA' }, byline: { name: 'Ana Ruiz' } } });

    const article = { '@type': 'NewsArticle', author: { '@type': 'Person', name: 'Lea Brun' }, publisher: { '@type': 'Organization', name: 'Desk Check' } };
    const html = `<html><script type="application/ld+json">${JSON.stringify(article)}</script><script type="application/ld+json">${JSON.stringify(base)}</script></html>`;
    const [signed] = (await extractFromHtml(html)).items;
    expect(mapClaimReview(signed!.value, signed!)).toMatchObject({ ok: true, value: { reviewer: { name: 'Desk Check' }, byline: { name: 'Lea Brun' } } });
  });
});
