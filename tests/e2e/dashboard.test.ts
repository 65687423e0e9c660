import type { Page } from 'playwright-core';
import { loadFixtures } from '../../src/seed/load';
import { ADMIN_KEY, type TestApp } from '../helpers/app';
import { browserSuite, openBrowser, type Browser } from './browser';

// What the page functions below read runs in the browser; the test project has no DOM types.
declare const document: { activeElement: unknown; documentElement: { scrollWidth: number; clientWidth: number } };
declare const sessionStorage: { length: number; getItem(key: string): string | null };

/*
 * The editorial dashboard, driven in headless Chromium against the service on
 * the seed story: sign in, find the ceasefire claim by search, read the
 * positions side by side, follow the counter-claim and the graph, draft a
 * verdict as a REVIEWER and publish it as an ADMIN.
 */

const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';
const HAMAS_BODIES = '019a4a10-0000-7000-8000-000000000002';

browserSuite('editorial dashboard in a browser', () => {
  let b: Browser;
  let t: TestApp;
  let base: string;
  let page: Page;
  let reviewerKey: string;
  let pageErrors: string[];

  const shot = (name: string, fullPage = true) => b.shot(name, fullPage);
  const heading = () => page.locator('main h1');

  async function signIn(key: string) {
    await page.goto(`${base}/`);
    const input = page.getByLabel('API key');
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type(key);
    await page.keyboard.press('Enter'); // the form submits from the keyboard
    await heading().filter({ hasText: 'Review queue' }).waitFor();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  }

  beforeAll(async () => {
    b = await openBrowser();
    ({ t, base, page, pageErrors } = b);
    await loadFixtures(t.ctx);
    reviewerKey = await t.keyFor('REVIEWER');
  }, 120_000);

  afterAll(async () => {
    await b?.close();
  });

  test('serves the page and its assets without authentication, with a strict content policy', async () => {
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const js = await t.http.get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await t.http.get('/assets/app.css')).status).toBe(200);
    expect((await t.http.get('/healthz')).status).toBe(200);
    expect((await t.http.get('/v1/claims')).status).toBe(401);
  });

  test('a wrong key shows the API problem text', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill('not-a-real-key-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('unknown or revoked');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  test('a REVIEWER signs in and sees the queue, contested claims first, without the audit badge', async () => {
    await signIn(reviewerKey);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('REVIEWER');
    const cards = page.locator('ol.queue > li');
    expect(await cards.count()).toBeGreaterThan(3);
    await expect(cards.first().getAttribute('class')).resolves.toContain('contested');
    expect(await page.getByTestId('audit-state').count()).toBe(0);
    // A contested card names both sides: Türkiye affirms, Israel answers with a counter-claim.
    const ceasefire = cards.filter({ hasText: 'Israel is regularly violating the Gaza ceasefire' });
    await expect(ceasefire.locator('.position-line').textContent()).resolves.toMatch(/affirmed by Türkiye.*countered by Israel/);
    expect(await page.evaluate(() => sessionStorage.getItem('counterpoint.apiKey'))).toBe(reviewerKey);
    await shot('queue');
  }, 60_000);

  test('finds the ceasefire claim by search, with attribution and highlighted matches', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await heading().filter({ hasText: 'Search claims' }).waitFor();
    await page.getByLabel('Words').fill('ceasefire violating');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.locator('ol.results > li').filter({ hasText: 'Israel is regularly violating the Gaza ceasefire' });
    await hit.waitFor();
    await expect(hit.locator('.summary').textContent()).resolves.toContain('Türkiye');
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    await shot('search');
    await hit.getByRole('link', { name: /Israel is regularly violating/ }).click();
    await heading().filter({ hasText: 'Israel is regularly violating the Gaza ceasefire' }).waitFor();
    expect(page.url()).toContain(`#/claims/${CEASEFIRE}`);
  }, 60_000);

  test("the dossier shows Türkiye's and Israel's positions side by side", async () => {
    const affirms = page.locator('[data-stance="affirms"]');
    const counters = page.locator('[data-stance="counters"]');
    await expect(affirms.textContent()).resolves.toContain('Türkiye');
    await expect(affirms.textContent()).resolves.toContain('Hakan Fidan');
    await expect(affirms.textContent()).resolves.toContain('regularly violating it');
    await expect(counters.textContent()).resolves.toContain('Israel');
    await expect(counters.textContent()).resolves.toContain('Hamas has not upheld');
    const [a, c] = [await affirms.boundingBox(), await counters.boundingBox()];
    expect(a && c).toBeTruthy();
    expect(Math.abs(a!.y - c!.y)).toBeLessThan(2); // same row
    expect(c!.x).toBeGreaterThan(a!.x + a!.width - 1); // next to each other
    await expect(affirms.locator('blockquote').first().getAttribute('dir')).resolves.toBe('auto');
    await expect(affirms.locator('time').first().textContent()).resolves.toBe('3 Nov 2025');
    await shot('dossier');
  });

  test('the source view highlights the anchored quotes and links them to their claims', async () => {
    await page.locator('[data-party="turkiye"]').getByRole('link', { name: /Hakan Fidan press conference/ }).click();
    const text = page.getByTestId('source-text');
    await text.waitFor();
    const marks = text.locator('mark');
    expect(await marks.count()).toBeGreaterThan(1);
    const quote = marks.filter({ hasText: 'there were some issues in fully implementing the agreement because Israel was regularly violating it' });
    await expect(quote.locator('a').getAttribute('href')).resolves.toBe(`#/claims/${CEASEFIRE}`);
    await shot('source');
    await page.goBack();
    await heading().filter({ hasText: 'Israel is regularly violating' }).waitFor();
  });

  test('the graph draws the counter-claim network; a node opens its claim', async () => {
    await page.getByRole('link', { name: 'Counter-claim graph' }).click();
    const graph = page.getByTestId('graph');
    await graph.waitFor();
    expect(await graph.locator('a.node').count()).toBeGreaterThanOrEqual(3);
    expect(await graph.locator('g.edge').count()).toBeGreaterThanOrEqual(2);
    await shot('graph');
    await graph.locator(`a.node[data-claim="${HAMAS_BODIES}"]`).click();
    await heading().filter({ hasText: 'Hamas has not upheld its agreement' }).waitFor();
    await expect(page.locator('[data-stance="affirms"]').textContent()).resolves.toContain('Israel');
    await shot('counter-claim');
  });

  test('a REVIEWER drafts a verdict and submits it, and cannot publish their own', async () => {
    await page.getByRole('link', { name: 'Israel is regularly violating the Gaza ceasefire' }).first().click();
    await heading().filter({ hasText: 'Israel is regularly violating' }).waitFor();
    await page.getByRole('link', { name: 'Write a verdict' }).click();
    await heading().filter({ hasText: 'Write a verdict' }).waitFor();
    await page.getByLabel('Reviewing party').selectOption({ label: 'Newsroom wire report (seed) (media)' });
    await page.getByLabel('Rating', { exact: true }).selectOption('DISPUTED');
    await page.getByLabel('Rating in your own words').fill('Contested: the parties disagree');
    await page.getByLabel('Summary').fill('Türkiye says Israel regularly violates the ceasefire; Israel answers that Hamas has not returned the bodies of hostages.');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.getByLabel('Evidence source').selectOption({ label: 'Hakan Fidan press conference in Istanbul, 3 November 2025 (as reported in the seed article; no transcript)' });
    await page.getByLabel('Note').fill('Fidan at the Istanbul press conference');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/#\/reviews\//);
    await heading().filter({ hasText: /^Verdict\s*Draft$/ }).waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await heading().filter({ hasText: 'In review' }).waitFor();
    // Self-publishing is off: the author is not offered Publish, and is told who publishes.
    await expect(page.getByTestId('awaits-second').textContent()).resolves.toContain('another reviewer publishes it');
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    await shot('review-awaits-second');
    await signOut();
  }, 60_000);

  test('an ADMIN publishes it from the queue, and the dossier shows it with reviewer and author', async () => {
    await signIn(ADMIN_KEY);
    await expect(page.getByTestId('audit-state').textContent()).resolves.toContain('Audit chain verifies');
    const item = page.locator('ol.queue > li').filter({ hasText: 'Israel is regularly violating the Gaza ceasefire' });
    await expect(item.locator('.draft').textContent()).resolves.toContain('In review verdict by test REVIEWER');
    // The seed's statements are dated by the day: shown as the day, not as its first instant.
    const card = (await item.textContent()) ?? '';
    expect(card).toContain('last said 3 Nov 2025');
    expect(card).not.toContain('00:00 UTC');
    await shot('queue-admin');
    await item.getByRole('link', { name: 'Open the draft' }).click();
    await heading().filter({ hasText: 'In review' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await heading().filter({ hasText: 'Published' }).waitFor();
    await page.locator('.lede').getByRole('link').click();
    await heading().filter({ hasText: 'Israel is regularly violating' }).waitFor();
    const verdict = page.locator('.verdict');
    await expect(verdict.textContent()).resolves.toContain('Contested: the parties disagree');
    await expect(verdict.textContent()).resolves.toContain('Newsroom wire report (seed)');
    await expect(verdict.textContent()).resolves.toContain('written by test REVIEWER');
    await expect(verdict.textContent()).resolves.toContain('Administrator');
    const audit = page.locator('table.audit');
    await audit.waitFor();
    await expect(audit.textContent()).resolves.toContain('review.transition');
    await shot('dossier-verdict');
  }, 60_000);

  test('a page that does not exist says so and offers the way back', async () => {
    await page.goto(`${base}/#/no-such-page`);
    await heading().filter({ hasText: 'Page not found' }).waitFor();
    await shot('not-found');
    await page.getByRole('link', { name: 'Go to the review queue' }).click();
    await heading().filter({ hasText: 'Review queue' }).waitFor();
    await page.goto(`${base}/#/claims/019a4a10-0000-7000-8000-0000000000ff`);
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('link', { name: 'Go to the review queue' }).count()).resolves.toBe(1);
    await shot('claim-missing');
  });

  test('stats are drawn as charts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stats' }).click();
    await heading().filter({ hasText: 'Statistics' }).waitFor();
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
    await expect(page.locator('.lede').textContent()).resolves.toMatch(/active assertions, 1 review\.$/);
    await expect(page.locator('figure', { hasText: 'Reviews by status' }).locator('svg').getAttribute('aria-label')).resolves.toContain('Published 1');
    // every week's column names its year
    await expect(page.locator('figure', { hasText: 'Claims per week' }).locator('svg').getAttribute('aria-label')).resolves.toMatch(/\d{1,2} [A-Z][a-z]{2} 20\d\d:/);
    await shot('stats');
  });

  test('reads on a tablet, and nothing failed in the page', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${base}/#/claims/${CEASEFIRE}`);
    await heading().filter({ hasText: 'Israel is regularly violating' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('dossier-tablet');
    expect(pageErrors).toEqual([]);
  });
});
