import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { loadFixtures } from '../../src/seed/load';
import { startTestApp, type TestApp } from '../helpers/app';

/*
 * "Check a draft" (SPEC §6, §7) in headless Chromium, as a new user would try
 * it: the seed story's paragraph rewritten as a careless draft is flagged
 * sentence by sentence, each finding opens on what the ledger records, the
 * positions side by side and the attributed wording, with a copy button.
 */

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../artifacts/screenshots');
const CEASEFIRE = '019a4a10-0000-7000-8000-000000000001';

const CARELESS_DRAFT = [
  'Israel is regularly violating the ceasefire. The war in Gaza is a genocide.',
  'Hamas has not returned the remaining bodies of hostages.',
  'Turkiye said Israel is regularly violating the Gaza ceasefire.',
  'Ministers met in Istanbul on Monday.',
].join(' ');

const suite = existsSync(CHROMIUM) ? describe : describe.skip;

suite('checking a draft in the dashboard', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    await loadFixtures(t.ctx);
    server = createApp({ db: t.db, config: t.ctx.config, logger: t.ctx.logger }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(path.join(os.tmpdir(), 'cp-chromium-drafts-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1366, height: 900 },
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await t?.close();
  });

  test('a careless draft of the seed story is flagged sentence by sentence, each with the wording to paste', async () => {
    const readerKey = await t.keyFor('READER');
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(readerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Check a draft' }).click();
    await page.locator('main h1').filter({ hasText: 'Check a draft' }).waitFor();

    await page.getByRole('textbox', { name: 'Draft' }).fill(CARELESS_DRAFT);
    await page.getByRole('button', { name: 'Check draft' }).click();
    await page.getByText('5 sentences (en), 4 findings.').waitFor({ timeout: 45_000 }); // the first check loads the language detector

    const marks = page.locator('.draft-mark');
    await expect(marks.allTextContents()).resolves.toEqual([
      'Israel is regularly violating the ceasefire.',
      'The war in Gaza is a genocide.',
      'Hamas has not returned the remaining bodies of hostages.',
      'Turkiye said Israel is regularly violating the Gaza ceasefire.',
    ]);
    await expect(marks.evaluateAll((els) => els.map((e) => (e as unknown as { className: string }).className))).resolves.toEqual([
      'draft-mark sev-high',
      'draft-mark sev-high',
      'draft-mark sev-medium',
      'draft-mark sev-medium',
    ]);
    await page.screenshot({ path: path.join(SHOTS, 'draft-check-highlighted.png'), fullPage: true });

    await marks.first().click();
    const card = page.locator('details[open]');
    await expect(card.locator('.draft-verdict').textContent()).resolves.toBe('Stated as fact');
    await expect(card.locator('.draft-message').textContent()).resolves.toContain('Israel disputes it with a counter-claim');
    await expect(card.locator('.draft-side').first().textContent()).resolves.toContain('Türkiye');
    // Nobody denies or questions it; Israel counters it with a claim of its own, and the card says so.
    await expect(card.locator('.draft-side h4').allTextContents()).resolves.toEqual(['Affirms', 'Counters it with a claim of its own']);
    await expect(card.locator('.draft-side').nth(1).textContent()).resolves.toBe('Counters it with a claim of its ownIsrael');
    const suggestion = 'Türkiye (Hakan Fidan) and Istanbul meeting of Arab and Islamic foreign ministers on Gaza (3 November 2025) say Israel is regularly violating the Gaza ceasefire; Israel disputes this.';
    await expect(card.locator('.draft-suggestion').textContent()).resolves.toBe(suggestion);
    await expect(card.getByRole('link', { name: 'Israel is regularly violating the Gaza ceasefire' }).getAttribute('href')).resolves.toBe(`#/claims/${CEASEFIRE}`);
    await card.getByRole('button', { name: 'Copy suggestion' }).click();
    await card.getByText('Copied.').waitFor();
    await expect(page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).resolves.toBe(suggestion);
    await page.screenshot({ path: path.join(SHOTS, 'draft-check-finding-open.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
