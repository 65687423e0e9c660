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
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = path.resolve(__dirname, '../artifacts/screenshots');
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`Skipping the dashboard browser tests: ${CHROMIUM} is absent (apt-get install chromium).`);
export const browserSuite = haveChromium ? describe : describe.skip;

export type Browser = {
  t: TestApp;
  base: string;
  context: BrowserContext;
  page: Page;
  /** Messages of errors the page raised (refused API calls excepted). */
  pageErrors: string[];
  shot(name: string, fullPage?: boolean): Promise<unknown>;
  close(): Promise<void>;
};

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
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
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
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
