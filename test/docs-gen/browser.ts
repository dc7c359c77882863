/**
 * Headless Chromium for the docs tests: launched once, skipped loudly without Chromium
 * (failing under CI=true), every page offline (any request leaving file:// is aborted and
 * recorded), console errors and page errors collected, screenshots kept as artifacts.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored): test-artifacts/docs-site/ at the repository root. */
export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/docs-site');

/** Launches Chromium, or skips the suite (throws under CI=true) when it is not installed. */
export async function launchOrSkip(ctx: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package`);
    console.warn(`SKIPPED: the HTML docs browser tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
    ctx.skip();
  }
  // Root in a container has no user namespace sandbox; the pages are our own static files.
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** A page that records what went wrong while it was used. */
export interface WatchedPage {
  readonly page: Page;
  /** Console errors, uncaught exceptions and failed loads, with the page they happened on. */
  readonly errors: string[];
  /** Requests for anything outside file://, data: and blob: (all aborted). */
  readonly external: string[];
}

const LOCAL = /^(file|data|blob):/;

/** Opens a page that works offline: remote requests are aborted and recorded. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors: string[] = [];
  const external: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (LOCAL.test(r.url())) void r.continue();
    else {
      external.push(`${page.url()} → ${r.url()}`);
      void r.abort();
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${String(e)}`));
  page.on('requestfailed', (r) => {
    if (LOCAL.test(r.url())) errors.push(`${page.url()}: failed to load ${r.url()}`);
  });
  return { page, errors, external };
}

/** Waits until the API reference page has rendered (or failed to). */
export async function waitForApi(page: Page): Promise<string> {
  // A string function body: it runs in the page, where the DOM exists (no DOM types here).
  await page.waitForFunction("document.body.dataset.apiState && document.body.dataset.apiState !== 'loading'", { timeout: 120_000 });
  return page.$eval('body', (b) => b.getAttribute('data-api-state') ?? '');
}

/** Saves a full-page screenshot under {@link ARTIFACTS_DIR}. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: name !== 'api-reference' });
  return file;
}
