import { startTestApp, type TestApp } from './helpers/app';
import { auditHead as head, claimReviewFixture as fixture, postClaimReview } from './helpers/claimreview';
import { makeParty } from './helpers/factories';

const IMPORT = '/v1/imports/claimreview';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const importDoc = (body: string, contentType: string, query = '', role: 'REVIEWER' | 'EDITOR' = 'REVIEWER') => postClaimReview(t, body, contentType, query, role);

type Item = { at: string; status: string; claimId?: string; reviewId?: string; assertionIds?: string[]; reason?: string; rating?: string; ratingLabel?: string };

async function dossier(claimId: string) {
  const res = await (await t.as('READER')).get(`/v1/claims/${claimId}`);
  expect(res.status).toBe(200);
  return res.body;
}

const auditHead = () => head(t);

describe('POST /v1/imports/claimreview', () => {
  test('imports every ClaimReview of an HTML page and reports the block that is not JSON', async () => {
    const res = await importDoc(fixture('fact-check-page.html'), 'text/html; charset=utf-8');
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ found: 2, imported: 2, duplicate: 0, rejected: 1 });
    const items: Item[] = res.body.items;
    expect(items.find((i) => i.status === 'rejected')).toEqual({ at: 'html:script[1]', status: 'rejected', reason: expect.stringMatching(/^not valid JSON/) });

    const first = items.find((i) => i.at === 'html:script[2].@graph[0]')!;
    expect(first).toMatchObject({ status: 'imported', rating: 'UNSUPPORTED', ratingLabel: 'Faux' });
    const claim = await dossier(first.claimId!);
    expect(claim.statement).toBe('Le gouvernement a fermé toutes les frontières terrestres le 3 novembre');
    expect(claim.positions.affirms).toEqual([
      expect.objectContaining({
        stance: 'AFFIRMS',
        quoteKind: 'INDIRECT',
        party: expect.objectContaining({ slug: 'unidentified-claimants', kind: 'COALITION' }),
        occasion: 'claimant as published: Sources multiples',
        assertedAt: '2025-11-03',
        source: expect.objectContaining({ url: 'https://www.facebook.com/example.page/posts/1234567890' }),
      }),
    ]);
    expect(claim.reviews).toEqual([
      expect.objectContaining({
        id: first.reviewId,
        status: 'PUBLISHED',
        rating: 'UNSUPPORTED',
        ratingLabel: 'Faux',
        reviewer: expect.objectContaining({ name: 'Vérif Hebdo', kind: 'MEDIA' }),
        published: expect.objectContaining({ at: '2025-11-04T18:35:00.000Z' }),
      }),
    ]);
  });

  test('a claim without appearance is quoted, anchored, from the fact-check page; a person claimant gets their affiliation', async () => {
    const res = await importDoc(fixture('fact-check-page.html'), 'text/html', '?url=https://verif.example.org/other-address');
    // Same ClaimReviews under another page address: their own url still identifies them.
    expect(res.body.summary).toMatchObject({ imported: 0, duplicate: 2 });
    const second = (res.body.items as Item[]).find((i) => i.at === 'html:script[2].@graph[1]')!;
    const claim = await dossier(second.claimId!);
    const [position] = claim.positions.affirms;
    expect(position).toMatchObject({
      party: { name: 'Camille Morel', kind: 'PERSON' },
      // She speaks for herself: no separate speaker, and the summary names her once.
      speaker: null,
      quote: 'Le communiqué porte la signature du ministre de l’Intérieur',
      anchor: { start: 0, end: 59 },
      assertedAt: '2025-10-28',
    });
    // A French fact-check: the claim is French, and so is its one-line summary.
    expect(claim.attributedSummary).toMatch(/^Camille Morel affirme que /);
    expect(claim.attributedSummary).not.toContain('(Camille Morel)');
    const source = await (await t.as('READER')).get(`/v1/sources/${position.source.id}`);
    expect(source.body).toMatchObject({
      kind: 'FACT_CHECK',
      text: 'Le communiqué porte la signature du ministre de l’Intérieur',
      // The page's other claim appeared on Facebook, so this one has the page's address to itself.
      url: 'https://verif.example.org/2025/11/faux-communique-frontieres',
      publisher: expect.objectContaining({ name: 'Vérif Hebdo' }),
      language: 'fr',
    });
    const person = await (await t.as('READER')).get(`/v1/parties/${position.party.id}`);
    expect(person.body.affiliations).toEqual([expect.objectContaining({ role: 'Porte-parole', party: expect.objectContaining({ name: 'Collectif Frontières Ouvertes' }) })]);
  });

  test('re-importing the same reviews changes nothing and writes nothing', async () => {
    const before = await auditHead();
    const res = await importDoc(fixture('fact-check-page.html'), 'text/html');
    expect(res.body.summary).toEqual({ found: 2, imported: 0, duplicate: 2, rejected: 1 });
    expect(await auditHead()).toEqual(before);
  });

  test('matches parties to existing ones by name or alias, whatever the case and accents', async () => {
    const known = await makeParty(t, { name: 'Comprobado Verificación', kind: 'MEDIA', aliases: ['COMPROBADO'] });
    const res = await importDoc(fixture('api-index.json'), 'application/json');
    expect(res.body.summary).toEqual({ found: 3, imported: 3, duplicate: 0, rejected: 0 });
    const [paro, luz, empleo] = await Promise.all((res.body.items as Item[]).map((i) => dossier(i.claimId!)));
    for (const c of [paro, luz, empleo]) expect(c.reviews[0].reviewer.id).toBe(known.id);
    // "lucia ferrer" is "Lucía Ferrer"; the feed's "person" named Partido Ejemplo is her party.
    expect(empleo.positions.affirms[0].party.id).toBe(paro.positions.affirms[0].party.id);
    expect(luz.positions.affirms[0].party).toMatchObject({ name: 'Partido Ejemplo', kind: 'ORGANIZATION' });
    expect(await t.db.prisma.party.count({ where: { name: 'Partido Ejemplo' } })).toBe(1);
    expect(paro.reviews[0]).toMatchObject({ rating: 'MOSTLY_UNSUPPORTED', ratingLabel: 'Engañoso' });
    expect(paro.positions.affirms[0]).toMatchObject({ occasion: 'Radio Meseta', quote: '“El paro juvenil ha bajado a la mitad en un año”' });
  });

  test('a DataFeed: each appearance is a source, an unreadable verdict is kept as written, a bad item is rejected alone', async () => {
    const res = await importDoc(fixture('data-feed.json'), 'application/ld+json');
    expect(res.body.summary).toEqual({ found: 2, imported: 1, duplicate: 0, rejected: 1 });
    const [ok, bad] = res.body.items as Item[];
    expect(bad).toEqual({ at: '$.dataFeedElement[1].item[0]', status: 'rejected', reason: 'claimReviewed is missing or empty' });
    expect(ok!.assertionIds).toHaveLength(2);
    const claim = await dossier(ok!.claimId!);
    expect(claim.reviews[0]).toMatchObject({
      rating: 'DISPUTED',
      ratingLabel: 'Das Wasser wurde nie abgestellt; die Stadtwerke sprechen von einer Falschmeldung.',
      reviewer: { name: 'Nordfakten' },
    });
    const sources = await t.db.prisma.source.findMany({ where: { assertions: { some: { claimId: ok!.claimId } } }, orderBy: { url: 'asc' } });
    expect(sources.map((s) => [s.kind, s.url])).toEqual([
      ['ARTICLE', 'https://blog.example.net/lindenau-wasser'],
      ['SOCIAL_POST', 'https://twitter.com/example_user/status/1111111111'],
    ]);
  });

  test('a ClaimReview without url is identified by a hash of author, claim and date', async () => {
    const first = await importDoc(fixture('single.jsonld'), 'application/ld+json');
    expect(first.body.items[0]).toMatchObject({ status: 'imported', rating: 'UNSUPPORTED', ratingLabel: 'The footage dates from 2019 & shows another city' });
    expect(first.body.items[0].identity).toMatch(/^hash:/);
    const again = await importDoc(fixture('single.jsonld'), 'application/ld+json');
    expect(again.body.items[0]).toMatchObject({ status: 'duplicate', reviewId: first.body.items[0].reviewId });
  });

  test('a crawled page record; a list of outlets as claimant is several claimants, each its own assertion', async () => {
    const res = await importDoc(fixture('crawled-page.json'), 'application/json');
    const claim = await dossier(res.body.items[0].claimId);
    expect(claim.positions.affirms.map((p: { party: { name: string } }) => p.party.name)).toEqual(['Facebook', 'WhatsApp', 'Twitter']);
    expect(res.body.items[0].assertionIds).toHaveLength(3);
    expect(claim.positions.affirms[0].source.url).toMatch(/^https:\/\/checks\.example\.in\/news\/fake-last-message-fact-check/);
  });

  test('several claims of one page, none with an appearance: each gets a fact-check source of its own', async () => {
    const review = (claim: string) => ({ '@type': 'ClaimReview', claimReviewed: claim, author: { name: 'Desk Check' }, reviewRating: { alternateName: 'False' } });
    const html = `<html><script type="application/ld+json">${JSON.stringify([review('The dam burst in May'), review('The dam was never inspected')])}</script></html>`;
    const res = await importDoc(html, 'text/html', '?url=https://deskcheck.example.com/dam');
    expect(res.body.summary).toMatchObject({ imported: 2 });
    const urls = await Promise.all((res.body.items as Item[]).map(async (i) => (await dossier(i.claimId!)).positions.affirms[0].source.url));
    expect(urls).toEqual(['https://deskcheck.example.com/dam', expect.stringMatching(/^https:\/\/deskcheck\.example\.com\/dam#claim-[0-9a-f]{16}$/)]);
  });

  test('a claim already recorded in the same words gets one more review, not a second claim', async () => {
    const review = (desk: string, url: string) => ({ '@type': 'ClaimReview', claimReviewed: 'The tunnel cost twice its budget', author: { name: desk }, reviewRating: { alternateName: 'True' }, url });
    const res = await importDoc(JSON.stringify([review('Desk One', 'https://one.example.com/tunnel'), review('Desk Two', 'https://two.example.com/tunnel')]), 'application/json');
    const [a, b] = res.body.items as Item[];
    expect(b!.claimId).toBe(a!.claimId);
    expect((await dossier(a!.claimId!)).reviews.map((r: { reviewer: { name: string } }) => r.reviewer.name).sort()).toEqual(['Desk One', 'Desk Two']);
  });

  test('?url= gives the page address of HTML without one', async () => {
    const html = `<html><script type="application/ld+json">${JSON.stringify({
      '@type': 'ClaimReview',
      claimReviewed: 'The bridge was closed for a month',
      author: { name: 'Desk Check' },
      reviewRating: { alternateName: 'Mostly true' },
    })}</script></html>`;
    const res = await importDoc(html, 'text/html', '?url=https://deskcheck.example.com/bridge');
    expect(res.body.items[0]).toMatchObject({ status: 'imported', rating: 'MOSTLY_SUPPORTED', identity: expect.stringMatching(/^url:https:\/\/deskcheck\.example\.com\/bridge#/) });
  });

  test('every imported item leaves an import event, and the chain still verifies', async () => {
    const imports = await t.db.prisma.auditEvent.count({ where: { action: 'import' } });
    expect(imports).toBe(await t.db.prisma.claimReviewImport.count());
    const verify = await (await t.as('ADMIN')).get('/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null });
  });

  test('takes bodies beyond the API’s 2 MB, up to 10 MB', async () => {
    const big = JSON.stringify({
      padding: 'x'.repeat(3 * 1024 * 1024),
      '@graph': [{ '@type': 'ClaimReview', claimReviewed: 'A large page', author: { name: 'Desk Check' }, reviewRating: { alternateName: 'False' }, url: 'https://deskcheck.example.com/large' }],
    });
    expect((await importDoc(big, 'application/json')).body.summary).toMatchObject({ imported: 1 });
    const huge = await importDoc('x'.repeat(10 * 1024 * 1024 + 10), 'text/html');
    expect(huge.status).toBe(413);
  });

  test.each([
    ['text/plain', 'hello', 415],
    ['application/json', '{"@type": ', 400],
    ['application/json', '{"@type": "WebPage"}', 422],
    ['text/html', '<html><script type="application/ld+json">{oops</script></html>', 422],
  ])('answers %s %j with %i', async (type, body, status) => {
    const res = await importDoc(body, type);
    expect(res.status).toBe(status);
    expect(res.type).toBe('application/problem+json');
  });

  test('needs a REVIEWER key: it publishes reviews', async () => {
    expect((await importDoc(fixture('single.jsonld'), 'application/ld+json', '', 'EDITOR')).status).toBe(403);
    expect((await t.http.post(IMPORT).set('Content-Type', 'application/json').send('{}')).status).toBe(401);
  });

  test('refuses unknown query fields', async () => {
    expect((await importDoc(fixture('single.jsonld'), 'application/ld+json', '?foo=1')).status).toBe(400);
  });
});

describe('imported reviews are other fact-checkers’ verdicts (issue 9 point 9, issue 15)', () => {
  const signed = {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: 'https://www.checagem.example.br/2025/11/vacina-chip',
    claimReviewed: 'A vacina contém um chip de rastreamento',
    author: { '@type': 'Person', name: 'Marina Duarte', worksFor: { '@type': 'NewsMediaOrganization', name: 'Checagem Exemplo' } },
    datePublished: '2025-11-04',
    itemReviewed: { '@type': 'Claim', author: { '@type': 'Organization', name: 'Facebook,WhatsApp,Sources multiples' } },
    reviewRating: { '@type': 'Rating', alternateName: 'Falso' },
  };

  test('a Person author is the byline; the organisation reviews; origin, url and language are kept; the export writes them back', async () => {
    const res = await importDoc(JSON.stringify(signed), 'application/ld+json');
    expect(res.status).toBe(200);
    const item = res.body.items[0];
    const claim = await dossier(item.claimId);
    expect(claim.language).toBe('pt');
    expect(claim.reviews[0]).toMatchObject({
      origin: 'imported',
      url: 'https://www.checagem.example.br/2025/11/vacina-chip',
      reviewer: { name: 'Checagem Exemplo', kind: 'MEDIA' },
      byline: { name: 'Marina Duarte', kind: 'PERSON' },
      status: 'PUBLISHED',
    });
    // Facebook and WhatsApp are two claimants; the placeholder stays the unidentified claimant.
    expect(claim.positions.affirms.map((p: { party: { name: string } }) => p.party.name).sort()).toEqual(['Facebook', 'Unidentified or multiple claimants', 'WhatsApp']);
    const person = await (await t.as('READER')).get(`/v1/parties/${claim.reviews[0].byline.id}`);
    expect(JSON.stringify(person.body)).toContain('Checagem Exemplo');
    const exported = (await (await t.as('READER')).get(`/v1/claims/${item.claimId}/claimreview`)).body['@graph'][0];
    expect(exported).toMatchObject({
      url: signed.url,
      // The organisation (with its site, as Google asks of author), and the person who signed, working for it.
      author: [
        { '@type': 'Organization', name: 'Checagem Exemplo', url: 'https://www.checagem.example.br/' },
        { '@type': 'Person', name: 'Marina Duarte', worksFor: { '@type': 'Organization', name: 'Checagem Exemplo' } },
      ],
      publisher: { '@type': 'Organization', name: 'Checagem Exemplo', url: 'https://www.checagem.example.br/' },
      inLanguage: 'pt',
    });
  });

  test('a body that is not UTF-8 is refused with 400, and nothing is written', async () => {
    const key = await t.keyFor('REVIEWER');
    const before = await auditHead();
    const bytes = Buffer.concat([Buffer.from(JSON.stringify({ ...signed, url: 'https://x.example/latin1', claimReviewed: 'caf' }).slice(0, -2)), Buffer.from([0xe9, 0xff]), Buffer.from('"}')]);
    const res = await t.http
      .post(IMPORT)
      .set('Authorization', `Bearer ${key}`)
      .set('Content-Type', 'application/ld+json')
      .serialize((b: Buffer) => b as unknown as string)
      .send(bytes);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/UTF-8/);
    expect(await auditHead()).toEqual(before);
  });
});
