import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { startTestApp, type TestApp } from '../helpers/app';

/*
 * The dashboard's browser harness: the service on a database of its own,
 * listening on a free port, and headless Debian Chromium driven by
 * playwright-core. Without /usr/bin/chromium the suites are skipped.
 * What the page did (its API calls and answers, console messages, errors) is
 * kept in memory and written out only when a test fails, or as it happens
 * with E2E_LOG=1.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.resolve(__dirname, '../artifacts/screenshots');
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`Skipping the dashboard browser tests: ${CHROMIUM} is absent (apt-get install chromium).`);
export const browserSuite = haveChromium ? describe : describe.skip;
const LIVE_LOG = process.env.E2E_LOG === '1';

export type Browser = {
  t: TestApp;
  base: string;
  context: BrowserContext;
  page: Page;
  /** Messages of errors the page raised (refused API calls excepted). */
  pageErrors: string[];
  shot(name: string, fullPage?: boolean): Promise<unknown>;
  /** What the page did, one line an event, since the browser opened. */
  log: string[];
  close(): Promise<void>;
};

/** `test` for a browser suite: when one fails, what the page did during it is printed and its screen kept. */
export function browserTest(browser: () => Browser | undefined) {
  return (name: string, fn: () => Promise<void>, timeout?: number) =>
    test(
      name,
      async () => {
        const b = browser();
        const from = b?.log.length ?? 0;
        try {
          await fn();
        } catch (err) {
          if (b) {
            const file = `failed-${name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}`;
            await b.shot(file).catch(() => undefined);
            process.stderr.write(`\n── what the page did during "${name}" (screenshot ${file}.png) ──\n${b.log.slice(from).join('\n')}\n\n`);
          }
          throw err;
        }
      },
      timeout,
    );
}

export async function openBrowser(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const t = await startTestApp();
  const server: Server = createApp({ db: t.db, config: t.ctx.config, logger: t.ctx.logger }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'cp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  const log: string[] = [];
  const started = Date.now();
  const note = (line: string) => {
    const entry = `${String(Date.now() - started).padStart(6)} ms  ${line}`;
    log.push(entry);
    if (LIVE_LOG) process.stderr.write(`${entry}\n`);
  };
  const where = (url: string) => url.replace(base, '');
  page.on('request', (req) => note(`→ ${req.method()} ${where(req.url())}`));
  page.on('response', (res) => note(`← ${res.status()} ${res.request().method()} ${where(res.url())}`));
  page.on('requestfailed', (req) => note(`✗ ${req.method()} ${where(req.url())}: ${req.failure()?.errorText ?? 'failed'}`));
  page.on('framenavigated', (frame) => frame === page.mainFrame() && note(`⇒ ${where(frame.url())}`));
  page.on('pageerror', (err) => {
    pageErrors.push(err.message);
    note(`page error: ${err.message}`);
  });
  page.on('console', (msg) => {
    note(`console.${msg.type()}: ${msg.text()}`);
    // Refused API calls are logged by Chromium as failed loads; the page shows their problem text instead.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });
  return {
    t,
    base,
    context,
    page,
    pageErrors,
    shot: (name, fullPage = true) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage }),
    log,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
