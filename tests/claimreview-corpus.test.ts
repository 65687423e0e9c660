import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from './helpers/app';
import { postClaimReview } from './helpers/claimreview';
import { corpusPages, kept, observe, shareReport, sharedPages, sharedSamplesPresent, type CorpusPage, type Dossier, type Kept } from './helpers/claimreview-corpus';

/*
 * Issue 15: fact-check pages as fact-checkers write them (the project's own
 * corpus, and the shared samples when CI has them beside the clone) import
 * with the claimant(s), the reviewing organisation, the person who signed
 * and the label kept, as the dossier shows them. The share kept is printed
 * at the end (npm run corpus:share).
 */

let t: TestApp;
const results: Kept[] = [];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  if (results.length) process.stdout.write(`\n${shareReport(results)}\n\n`);
  await t.close();
});

async function importPage(page: CorpusPage) {
  const res = await postClaimReview(t, readFileSync(page.path, 'utf8'), page.contentType);
  expect(res.status).toBe(200);
  const items = (res.body.items as { status: string; claimId: string; reviewId: string }[]).filter((i) => i.status !== 'rejected');
  expect(items.map((i) => i.status)).toEqual(page.reviews.map(() => 'imported'));
  const reader = await t.as('READER');
  for (const [i, expected] of page.reviews.entries()) {
    const claim = await reader.get(`/v1/claims/${items[i]!.claimId}`);
    expect(claim.status).toBe(200);
    const seen = observe(claim.body as Dossier, items[i]!.reviewId);
    results.push(kept(page, expected, seen));
    expect({ ...seen, language: seen.language?.split('-')[0] }).toEqual({
      claimants: [...expected.claimants].sort(),
      reviewer: expected.reviewer,
      byline: expected.byline,
      label: expected.labelStartsWith ? expect.stringMatching(new RegExp(`^${expected.labelStartsWith}`)) : expected.label,
      rating: expected.rating ?? expect.any(String),
      language: page.language,
    });
  }
}

const label = (p: CorpusPage) => `${p.factChecker} (${p.language}) ${p.file}`;

describe('the ClaimReview corpus', () => {
  const pages = corpusPages();

  test('spans at least 20 pages, 10 fact-checkers and 6 languages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(new Set(pages.map((p) => p.factChecker)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(pages.map((p) => p.language)).size).toBeGreaterThanOrEqual(6);
  });

  test.each(pages.map((p) => [label(p), p] as const))('%s keeps claimant, organisation, byline and label', async (_name, page) => {
    await importPage(page);
  });
});

describe('the shared samples', () => {
  const present = sharedSamplesPresent();
  const run = present ? test.each(sharedPages().map((p) => [label(p), p] as const)) : test.skip.each([['shared/claimreview-samples is not beside the clone', null]] as const);
  run('%s keeps claimant, organisation, byline and label', async (_name, page) => {
    await importPage(page!);
  });
});
