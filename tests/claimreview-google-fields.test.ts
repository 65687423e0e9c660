import { readFileSync } from 'node:fs';
import { loadFixtures } from '../src/seed/load';
import { startTestApp, type TestApp } from './helpers/app';
import { postClaimReview } from './helpers/claimreview';
import { corpusPages, sharedPages, sharedSamplesPresent } from './helpers/claimreview-corpus';
import { makeParty } from './helpers/factories';

/*
 * Every ClaimReview the export writes — reviews of the seed story published
 * here, and the corpus imported and written back — against the fields
 * Google's fact-check structured data documentation (Search Central,
 * "Fact check (ClaimReview) structured data") asks for, as we read it:
 *
 *   ClaimReview  required    claimReviewed, reviewRating, url
 *                recommended author, datePublished, itemReviewed
 *   Rating       required    alternateName
 *                recommended ratingValue, bestRating, worstRating (a numeric rating carries all three, the value within them)
 *   author       an Organization (or Person) with name; the organisation's url
 *   Claim        recommended author (name; sameAs or url when known), datePublished, appearance or firstAppearance
 *
 * and Google reads JSON-LD only with the schema.org @context. (Google has
 * said it is phasing ClaimReview out of Search results; Fact Check Explorer
 * and other readers still take it.) Required ones missing are errors;
 * recommended ones missing are tolerated only where the ledger does not
 * know them.
 */

type Json = Record<string, unknown>;
type Problems = { errors: string[]; warnings: string[] };

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
const absoluteUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v);
const isoDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v));

export function googleProblems(review: Json): Problems {
  const errors: string[] = [];
  const warnings: string[] = [];
  const need = (ok: boolean, field: string) => ok || errors.push(field);
  const want = (ok: boolean, field: string) => ok || warnings.push(field);

  need(review['@context'] === 'https://schema.org' && review['@type'] === 'ClaimReview', '@context/@type');
  need(text(review.claimReviewed), 'claimReviewed');
  need(absoluteUrl(review.url), 'url');
  const rating = review.reviewRating;
  need(isObject(rating), 'reviewRating');
  if (isObject(rating)) {
    need(text(rating.alternateName), 'reviewRating.alternateName');
    if (rating.ratingValue !== undefined) {
      const [value, best, worst] = [rating.ratingValue, rating.bestRating, rating.worstRating];
      need(typeof value === 'number' && typeof best === 'number' && typeof worst === 'number' && worst <= value && value <= best, 'reviewRating.ratingValue/bestRating/worstRating');
    }
  }
  const authors = list(review.author).filter(isObject);
  want(authors.length > 0, 'author');
  need(authors.every((a) => (a['@type'] === 'Organization' || a['@type'] === 'Person') && text(a.name)), 'author.name');
  need(authors.some((a) => a['@type'] === 'Organization' && text(a.name) && absoluteUrl(a.url)), 'author Organization name and url');
  want(isoDate(review.datePublished), 'datePublished');

  const claim = review.itemReviewed;
  want(isObject(claim) && claim['@type'] === 'Claim', 'itemReviewed');
  if (isObject(claim)) {
    const claimants = list(claim.author).filter(isObject);
    want(claimants.length > 0 && claimants.every((a) => text(a.name)), 'itemReviewed.author.name');
    want(isoDate(claim.datePublished), 'itemReviewed.datePublished');
    const places = [...list(claim.appearance), ...list(claim.firstAppearance)];
    want(places.length > 0 && places.every((p) => absoluteUrl(isObject(p) ? p.url : p)), 'itemReviewed.appearance');
  }
  return { errors, warnings };
}

let t: TestApp;
/** Reviews published here on the seed story, by claim. */
const seeded = new Map<string, string>();

async function publish(claimId: string, reviewerId: string, rating: string, ratingLabel: string) {
  const reviewer = await t.as('REVIEWER');
  const created = await reviewer.post(`/v1/claims/${claimId}/reviews`).send({ reviewerId, rating, ratingLabel, summary: `${ratingLabel}: what the record shows.` });
  expect(created.status).toBe(201);
  expect((await reviewer.post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'IN_REVIEW' })).status).toBe(200);
  expect((await (await t.as('ADMIN')).post(`/v1/reviews/${created.body.id}/transitions`).send({ to: 'PUBLISHED' })).status).toBe(200);
  seeded.set(claimId, created.body.id);
}

const SEED_REVIEWS: [string, string, string][] = [
  ['019a4a10-0000-7000-8000-000000000001', 'DISPUTED', 'Disputed by the parties'],
  ['019a4a10-0000-7000-8000-000000000002', 'UNVERIFIABLE', 'Cannot be verified yet'],
  ['019a4a10-0000-7000-8000-000000000005', 'MOSTLY_SUPPORTED', 'Mostly accurate'],
  ['019a4a10-0000-7000-8000-000000000006', 'UNSUPPORTED', 'False'],
];

const pages = [...corpusPages(), ...(sharedSamplesPresent() ? sharedPages() : [])];

beforeAll(async () => {
  t = await startTestApp();
  await loadFixtures(t.ctx);
  const desk = await makeParty(t, { name: 'Counterpoint Desk', kind: 'MEDIA' });
  for (const [claimId, rating, label] of SEED_REVIEWS) await publish(claimId, desk.id, rating, label);
  for (const page of pages) {
    const res = await postClaimReview(t, readFileSync(page.path, 'utf8'), page.contentType);
    expect(res.body.summary).toMatchObject({ imported: page.reviews.length });
  }
}, 300_000);
afterAll(() => t.close());

async function wholeFeed(): Promise<Json[]> {
  const reader = await t.as('READER');
  const items: Json[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const res = await reader.get(`/v1/exports/claimreview?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    items.push(...(res.body.dataFeedElement as { item: Json[] }[]).map((e) => e.item[0]!));
    cursor = res.body.nextCursor;
  }
  return items;
}

type Position = { assertedAt: string | null; source: { url: string | null } };

/** What the ledger knows of a review's claim: where it appeared (other than the fact-check page) and when it was said. */
async function known(review: Json) {
  const reader = await t.as('READER');
  const id = String(review.identifier).replace('counterpoint:review:', '');
  const claimId = (await reader.get(`/v1/reviews/${id}`)).body.claimId as string;
  const positions = (await reader.get(`/v1/claims/${claimId}`)).body.positions.affirms as Position[];
  const page = String(review.url).replace(/#.*$/, '');
  const appearances = positions.filter((p) => p.source.url && !p.source.url.startsWith(page));
  return { appearance: appearances.length > 0, date: positions.some((p) => p.assertedAt) };
}

describe('the ClaimReview export against Google’s fields', () => {
  let feed: Json[];
  beforeAll(async () => {
    feed = await wholeFeed();
  }, 120_000);

  test('every exported review has every required field, and the numeric ones in range', () => {
    const reviews = pages.reduce((n, p) => n + p.reviews.length, SEED_REVIEWS.length);
    expect(feed).toHaveLength(reviews);
    const failing = feed.map((r) => ({ url: r.url, errors: googleProblems(r).errors })).filter((r) => r.errors.length);
    expect(failing).toEqual([]);
  });

  test('the recommended fields are there whenever the ledger knows them', async () => {
    const missing = [];
    for (const review of feed) {
      const { warnings } = googleProblems(review);
      const k = await known(review);
      const excused = new Set([...(k.appearance ? [] : ['itemReviewed.appearance']), ...(k.date ? [] : ['itemReviewed.datePublished'])]);
      const unexcused = warnings.filter((w) => !excused.has(w));
      if (unexcused.length) missing.push({ url: review.url, unexcused });
    }
    expect(missing).toEqual([]);
  }, 120_000);

  test('the seed story’s reviews name the state claimants by their Wikidata item, the claim’s date and where it appeared', () => {
    const ceasefire = feed.find((r) => r.identifier === `counterpoint:review:${seeded.get(SEED_REVIEWS[0]![0])}`)!;
    expect(ceasefire).toMatchObject({
      author: { '@type': 'Organization', name: 'Counterpoint Desk', url: 'https://claims.example.test/' },
      reviewRating: { alternateName: 'Disputed by the parties' },
      itemReviewed: { '@type': 'Claim', datePublished: '2025-11-03', appearance: expect.arrayContaining([expect.objectContaining({ url: expect.stringMatching(/^https:\/\//) })]) },
    });
    expect(list((ceasefire.itemReviewed as Json).author)).toContainEqual(expect.objectContaining({ affiliation: expect.objectContaining({ sameAs: 'https://www.wikidata.org/wiki/Q43' }) }));
    const unverifiable = feed.find((r) => r.identifier === `counterpoint:review:${seeded.get(SEED_REVIEWS[1]![0])}`)!;
    // No number for a verdict that is not on the five-step scale: the label alone, as Google allows.
    expect(unverifiable.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Cannot be verified yet' });
  });

  test('the corpus written back keeps its claimants, organisation, byline and label', () => {
    const written = feed.map((r) => {
      const authors = list(r.author).filter(isObject);
      return {
        claimants: claimantsOf(r),
        reviewer: authors.find((a) => a['@type'] === 'Organization')?.name ?? null,
        byline: authors.find((a) => a['@type'] === 'Person')?.name ?? null,
        label: String((r.reviewRating as Json).alternateName),
      };
    });
    const lost = pages.flatMap((page) =>
      page.reviews
        .filter(
          (e) =>
            !written.some(
              (w) =>
                w.claimants.join('|') === [...e.claimants].sort().join('|') &&
                w.reviewer === e.reviewer &&
                w.byline === e.byline &&
                (e.labelStartsWith ? w.label.startsWith(e.labelStartsWith) : w.label === e.label),
            ),
        )
        .map((e) => ({ page: page.file, ...e })),
    );
    expect(lost).toEqual([]);
  });

  test('the feed imported back is the same reviews: nothing new is written', async () => {
    const reader = await t.as('READER');
    const res = await reader.get('/v1/exports/claimreview?limit=200');
    const again = await postClaimReview(t, JSON.stringify(res.body), 'application/ld+json');
    expect(again.body.summary).toEqual({ found: res.body.dataFeedElement.length, imported: 0, duplicate: res.body.dataFeedElement.length, rejected: 0 });
  });
});

const claimantsOf = (r: Json) =>
  list((r.itemReviewed as Json).author)
    .filter(isObject)
    .map((a) => String(a.name))
    .sort();
