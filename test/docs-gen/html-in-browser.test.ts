import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { builtSite } from './site.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('generated HTML in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package`);
      console.warn(`SKIPPED: the HTML docs browser test needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
      this.skip();
    }
    // Root in a container has no user namespace sandbox; the pages are our own static files.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
  });

  it('loads every page without errors and every internal link resolves to a page and anchor', async () => {
    const { dir, files } = await builtSite();
    const htmlFiles = [...files.keys()].filter((f) => f.endsWith('.html')).sort();
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const idsOf = new Map<string, Set<string>>();
    const linksOf = new Map<string, string[]>();
    for (const f of htmlFiles) {
      const url = pathToFileURL(path.join(dir, f)).href;
      const response = await page.goto(url, { waitUntil: 'load' });
      expect(response?.ok() ?? true, f).to.equal(true);
      expect(await page.title(), f).to.match(/— Ashlar$/);
      idsOf.set(url, new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id))));
      linksOf.set(f, await page.$$eval('a[href]', (as) => as.map((a) => (a as unknown as { href: string }).href)));
    }
    const broken: string[] = [];
    let checked = 0;
    for (const [f, links] of linksOf) {
      for (const href of links) {
        if (!href.startsWith('file:')) continue;
        const [target = '', anchor] = href.split('#');
        checked++;
        if (!existsSync(fileURLToPath(target))) broken.push(`${f} → ${href} (no such file)`);
        else if (anchor && target.endsWith('.html') && !idsOf.get(target)?.has(decodeURIComponent(anchor))) broken.push(`${f} → ${href} (no such anchor)`);
      }
    }
    expect(errors).to.deep.equal([]);
    expect(broken).to.deep.equal([]);
    expect(checked).to.be.greaterThan(50);
  });
});
