import { startTestApp, type TestApp } from './helpers/app';
import { auditHead as head, claimReviewFixture as fixture, postClaimReview } from './helpers/claimreview';
import { makeClaim, makeParty, makePerson } from './helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function importDoc(body: string, contentType: string) {
  const res = await postClaimReview(t, body, contentType);
  expect(res.status).toBe(200);
  return res.body as { summary: Record<string, number>; items: { at: string; status: string; claimId: string; reviewId: string }[] };
}

const get = async (url: string) => (await t.as('READER')).get(url);
const auditHead = () => head(t);

/** A review written here, through the workflow: drafted by a reviewer, published by someone else. */
async function publishedReview(claimId: string, reviewerId: string) {
  const reviewer = await t.as('REVIEWER');
  const created = await reviewer.post(`/v1/claims/${claimId}/reviews`).send({ reviewerId, rating: 'MIXED', ratingLabel: 'Half true', summary: 'Partly right.' });
  expect(created.status).toBe(201);
  expect((await reviewer.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'IN_REVIEW' })).status).toBe(200);
  expect((await (await t.as('ADMIN')).post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
  return created.body.id as string;
}

/** The two reviews of the fact-check page, in page order. */
let page: { items: { claimId: string; reviewId: string }[] };
beforeAll(async () => {
  const imported = await importDoc(fixture('fact-check-page.html'), 'text/html');
  page = { items: imported.items.filter((i) => i.status === 'imported') };
  await importDoc(fixture('api-index.json'), 'application/json');
});

describe('GET /v1/claims/{id}/claimreview', () => {
  test('gives the claim’s published reviews as ClaimReview JSON-LD, as they came in', async () => {
    const res = await get(`/v1/claims/${page.items[0]!.claimId}/claimreview`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/ld+json');
    expect(res.body).toEqual({
      '@context': 'https://schema.org',
      '@graph': [
        {
          '@context': 'https://schema.org',
          '@type': 'ClaimReview',
          identifier: `counterpoint:review:${page.items[0]!.reviewId}`,
          url: 'https://verif.example.org/2025/11/faux-communique-frontieres',
          claimReviewed: 'Le gouvernement a fermé toutes les frontières terrestres le 3 novembre',
          datePublished: '2025-11-04',
          // The page's article is signed: its author is the review's byline, beside the organisation.
          author: [
            { '@type': 'Organization', name: 'Vérif Hebdo', url: 'https://verif.example.org/' },
            { '@type': 'Person', name: 'Jeanne Dupuis', worksFor: { '@type': 'Organization', name: 'Vérif Hebdo' } },
          ],
          publisher: { '@type': 'Organization', name: 'Vérif Hebdo', url: 'https://verif.example.org/' },
          reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Faux' },
          reviewBody: 'Non, ce communiqué sur la fermeture des frontières est un faux',
          inLanguage: 'fr',
          itemReviewed: {
            '@type': 'Claim',
            author: { '@type': 'Organization', name: 'Unidentified or multiple claimants' },
            datePublished: '2025-11-03',
            appearance: [{ '@type': 'CreativeWork', url: 'https://www.facebook.com/example.page/posts/1234567890' }],
          },
        },
      ],
    });
  });

  test('a person claimant carries the party they speak for as affiliation', async () => {
    const res = await get(`/v1/claims/${page.items[1]!.claimId}/claimreview`);
    expect(res.body['@graph'][0].itemReviewed.author).toEqual({
      '@type': 'Person',
      name: 'Camille Morel',
      jobTitle: 'Porte-parole',
      affiliation: { '@type': 'Organization', name: 'Collectif Frontières Ouvertes' },
    });
  });

  test('a review written here gets its public page under PUBLIC_URL as url (whatever Host the client sends), and its speaker’s party as affiliation', async () => {
    const state = await makeParty(t, { name: 'Republic of Examplia' });
    const minister = await makePerson(t, { name: 'Ana Example' });
    const claim = await makeClaim(t, { party: state.id, speaker: minister.id, statement: 'Exports doubled in 2024' });
    const desk = await makeParty(t, { name: 'Our Desk', kind: 'MEDIA' });
    const reviewId = await publishedReview(claim.id, desk.id);
    const res = await (await t.as('READER')).get(`/v1/claims/${claim.id}/claimreview`).set('Host', 'evil.example').set('X-Forwarded-Proto', 'javascript');
    const [review] = res.body['@graph'];
    expect(review).toMatchObject({
      url: `https://claims.example.test/reviews/${reviewId}`,
      claimReviewed: 'Exports doubled in 2024',
      author: { '@type': 'Organization', name: 'Our Desk', url: 'https://claims.example.test/' },
      reviewRating: { ratingValue: 3, alternateName: 'Half true' },
      itemReviewed: { author: { '@type': 'Person', name: 'Ana Example', affiliation: { '@type': 'Organization', name: 'Republic of Examplia' } } },
    });

    // Imported back — with or without its identifier — it is the same review.
    const before = await auditHead();
    const again = await importDoc(JSON.stringify(res.body), 'application/ld+json');
    const { identifier: _id, ...anonymous } = review;
    const stripped = await importDoc(JSON.stringify(anonymous), 'application/ld+json');
    expect([...again.items, ...stripped.items].map((i) => [i.status, i.reviewId])).toEqual([
      ['duplicate', reviewId],
      ['duplicate', reviewId],
    ]);
    expect(await auditHead()).toEqual(before);

    // The url is a public page: no key needed, the verdict shown.
    const page = await t.anonymous.get(`/reviews/${reviewId}`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('Exports doubled in 2024');
    expect(page.text).toContain('Half true');
  });

  test('draft reviews are not exported; an unknown claim is 404', async () => {
    const claim = await makeClaim(t);
    const desk = await makeParty(t, { name: 'Draft Desk', kind: 'MEDIA' });
    await (await t.as('REVIEWER')).post(`/v1/claims/${claim.id}/reviews`).send({ reviewerId: desk.id, rating: 'SUPPORTED', ratingLabel: 'True', summary: 'Draft.' });
    expect((await get(`/v1/claims/${claim.id}/claimreview`)).body['@graph']).toEqual([]);
    expect((await get('/v1/claims/019a4a10-0000-7000-8000-00000000ffff/claimreview')).status).toBe(404);
  });
});

describe('GET /v1/exports/claimreview', () => {
  test('a schema.org DataFeed with Google’s required fields in every item', async () => {
    const res = await get('/v1/exports/claimreview');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/ld+json');
    expect(res.body).toMatchObject({ '@context': 'https://schema.org', '@type': 'DataFeed', nextCursor: null });
    expect(res.body.dataFeedElement.length).toBeGreaterThanOrEqual(5);
    for (const element of res.body.dataFeedElement) {
      expect(element['@type']).toBe('DataFeedItem');
      const [review] = element.item;
      expect(review).toMatchObject({ '@type': 'ClaimReview', claimReviewed: expect.any(String), url: expect.stringMatching(/^https?:\/\//) });
      expect([review.author].flat()).toContainEqual(expect.objectContaining({ '@type': 'Organization', name: expect.any(String), url: expect.stringMatching(/^https?:\/\//) }));
      expect(review.reviewRating.alternateName).toEqual(expect.any(String));
      expect(review.itemReviewed.author).toBeDefined();
    }
  });

  test('filters by publication date and pages with a cursor', async () => {
    const day = await get('/v1/exports/claimreview?from=2025-11-04&to=2025-11-04');
    expect(day.body.dataFeedElement.map((e: { item: { url: string }[] }) => e.item[0]!.url)).toEqual([
      'https://verif.example.org/2025/11/faux-communique-frontieres',
      'https://verif.example.org/2025/11/faux-communique-frontieres',
    ]);
    const first = await get('/v1/exports/claimreview?from=2025-11-04&to=2025-11-04&limit=1');
    expect(first.body.dataFeedElement).toHaveLength(1);
    expect(first.headers.link).toMatch(/rel="next"/);
    const second = await get(`/v1/exports/claimreview?from=2025-11-04&to=2025-11-04&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.dataFeedElement[0].item[0].claimReviewed).not.toBe(first.body.dataFeedElement[0].item[0].claimReviewed);
    expect(second.body.nextCursor).toBeNull();
    expect((await get('/v1/exports/claimreview?from=04/11/2025')).status).toBe(400);
  });

  test('the feed imported back is a no-op', async () => {
    const feed = await get('/v1/exports/claimreview');
    const before = await auditHead();
    const res = await importDoc(JSON.stringify(feed.body), 'application/ld+json');
    expect(res.summary).toEqual({ found: feed.body.dataFeedElement.length, imported: 0, duplicate: feed.body.dataFeedElement.length, rejected: 0 });
    expect(await auditHead()).toEqual(before);
  });

  test('withdrawn reviews leave the feed', async () => {
    const [item] = page.items;
    const withdraw = await (await t.as('ADMIN')).post(`/v1/reviews/${item!.reviewId}/transitions`).send({ to: 'WITHDRAWN', reason: 'Test withdrawal' });
    expect(withdraw.status).toBe(200);
    const feed = await get('/v1/exports/claimreview');
    expect(feed.body.dataFeedElement.map((e: { item: { identifier: string }[] }) => e.item[0]!.identifier)).not.toContain(`counterpoint:review:${item!.reviewId}`);
  });
});
