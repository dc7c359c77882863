import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { presentationDocument } from '../../docs-gen/site/api-presentation.js';
import { builtSite } from './site.js';
import { launchOrSkip, screenshot, waitForApi, watchedPage } from './browser.js';
import { staticAnchorsAndLinks } from './static-html.js';

const url = (siteDir: string, file: string): string => pathToFileURL(path.join(siteDir, file)).href;

describe('generated HTML site in headless Chromium', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;

  before(async function () {
    browser = await launchOrSkip(this);
    await builtSite();
  });

  after(async () => {
    await browser?.close();
  });

  it('loads every page offline without console errors; every internal link and anchor resolves', async () => {
    const { siteDir, site } = await builtSite();
    const { page, errors, external } = await watchedPage(browser!);
    const idsOf = new Map<string, Set<string>>();
    const linksOf = new Map<string, string[]>();
    const html = site.files.filter((x) => x.endsWith('.html'));
    // typedoc's pages are static: read from their files; two of them also open in the browser.
    for (const f of html.filter((x) => x.startsWith('sdk/'))) {
      const { ids, links } = await staticAnchorsAndLinks(path.join(siteDir, f));
      idsOf.set(url(siteDir, f), ids);
      linksOf.set(f, links);
    }
    for (const f of html.filter((x) => !x.startsWith('sdk/') || x === 'sdk/index.html' || x === 'sdk/interfaces/VolumeDriver.html')) {
      const response = await page.goto(url(siteDir, f), { waitUntil: 'load' });
      expect(response?.ok() ?? true, f).to.equal(true);
      if (f === 'api-reference.html') expect(await waitForApi(page)).to.equal('ready');
      idsOf.set(url(siteDir, f), new Set(await page.$$eval('[id], a[name]', (els) => els.map((e) => e.id || e.getAttribute('name') || ''))));
      linksOf.set(f, await page.$$eval('a[href]', (as) => as.map((a) => (a as unknown as { href: string }).href)));
    }
    const broken: string[] = [];
    let checked = 0;
    for (const [f, links] of linksOf) {
      for (const href of links.filter((h) => h.startsWith('file:'))) {
        const [target = '', anchor] = href.split('#');
        checked++;
        if (!existsSync(fileURLToPath(target))) broken.push(`${f} → ${href} (no such file)`);
        else if (anchor && target.endsWith('.html') && !idsOf.get(target)?.has(decodeURIComponent(anchor))) broken.push(`${f} → ${href} (no such anchor)`);
      }
    }
    expect(errors).to.deep.equal([]);
    expect(external).to.deep.equal([]);
    expect(broken).to.deep.equal([]);
    expect(checked).to.be.greaterThan(500);
  });

  it('shows no literal Markdown on any page rendered from Markdown', async () => {
    const { siteDir, pages } = await builtSite();
    const { page } = await watchedPage(browser!);
    const literal: string[] = [];
    for (const p of pages.filter((x) => x.path !== 'api-reference.md')) {
      const f = p.path.replace(/\.md$/, '.html');
      await page.goto(url(siteDir, f), { waitUntil: 'load' });
      // Code spans and blocks may hold any characters; everything else is prose.
      const prose = await page.$eval('main', (m) => {
        const copy = m.cloneNode(true) as typeof m;
        copy.querySelectorAll('pre, code').forEach((c: { remove(): void }) => c.remove());
        return copy.textContent ?? '';
      });
      for (const [name, re] of [['link', /\]\(/], ['bold', /\*\*/], ['code', /`/], ['table rule', /\|\s*---/], ['heading', /^#{1,6} /m], ['escaped pipe', /\\\|/]] as const) {
        if (re.test(prose)) literal.push(`${f}: ${name}: …${prose.slice(Math.max(0, prose.search(re) - 40), prose.search(re) + 40)}…`);
      }
    }
    expect(literal).to.deep.equal([]);
    await page.goto(url(siteDir, 'index.html'), { waitUntil: 'load' });
    await screenshot(page, 'index');
    await page.goto(url(siteDir, 'drivers/file.html'), { waitUntil: 'load' });
    await screenshot(page, 'driver-file');
  });

  it('renders the API reference offline: each operation and action an entry, microversions, removed and experimental marked, fault bodies', async () => {
    const { siteDir, openapi } = await builtSite();
    const { page, errors, external } = await watchedPage(browser!);
    await page.goto(url(siteDir, 'api-reference.html'), { waitUntil: 'load' });
    expect(await waitForApi(page)).to.equal('ready');
    const shown = new Set(await page.$$eval('[id^="operation/"]', (els) => els.map((e) => e.id.slice('operation/'.length))));
    const expected = Object.values(presentationDocument(openapi).paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect([...shown].sort()).to.deep.equal([...expected].sort());
    expect(shown).to.include.members(['volumes.action-os-extend', 'volumes.action-revert', 'volumes.action-os-reset_status']);
    const badges = async (id: string): Promise<string> => page.$eval(`[id="operation/${id}"]`, (el) => el.textContent ?? '');
    expect(await badges('volumes.action-revert')).to.include('3.40+').and.include('Microversions: 3.40 and later');
    expect(await badges('volumes.action-os-reset_status')).to.include('Admin only');
    expect(await badges('volumes.encryptionMetadata')).to.include('removed 3.64').and.include('410 Gone');
    expect(await badges('backends.stats')).to.include('experimental').and.include('Microversions: 3.60 and later');
    // A fault answer opens to its Cinder fault body; its code links to the error table.
    const section = (await page.$('[id="operation/volumes.show"]'))!;
    expect(await section.$$eval('button', (bs) => bs.map((b) => (b.textContent ?? '').trim().slice(0, 3)))).to.include.members(['200', '404', '406']);
    expect(await section.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))).to.include('errors.html#not_found');
    expect(await badges('volumes.show')).to.not.include('itemNotFound');
    await section.$$eval('button', (bs) => bs.find((b) => (b.textContent ?? '').trim().startsWith('404'))!.click());
    expect(await badges('volumes.show')).to.include('itemNotFound');
    expect(errors).to.deep.equal([]);
    expect(external).to.deep.equal([]);
    await page.goto(`${url(siteDir, 'api-reference.html')}#operation/volumes.action-revert`, { waitUntil: 'load' });
    await waitForApi(page);
    await screenshot(page, 'api-reference');
  });

  it('searches pages, API operations and SDK symbols offline, from the box and from search.html', async () => {
    const { siteDir } = await builtSite();
    const { page, errors } = await watchedPage(browser!);
    await page.goto(url(siteDir, 'drivers/file.html'), { waitUntil: 'load' });
    await page.type('#search-input', 'revert');
    await page.waitForSelector('#search-dropdown:not([hidden]) li');
    const hits = await page.$$eval('#search-dropdown a', (as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hits.some((h) => h.includes('/driver-guide.html#'))).to.equal(true);
    expect(hits.some((h) => h.includes('/api-reference.html#operation/volumes.action-revert'))).to.equal(true);
    await page.goto(`${url(siteDir, 'search.html')}?q=createVolume`, { waitUntil: 'load' });
    const all = await page.$$eval('#search-page-results a', (as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(all.some((h) => h.includes('/sdk/'))).to.equal(true);
    expect(all.some((h) => h.includes('/driver-guide.html#'))).to.equal(true);
    expect(await page.$eval('#search-page-status', (e) => e.textContent)).to.match(/^\d+ results? for “createVolume”$/);
    await screenshot(page, 'search');
    // Following an API hit lands on the rendered operation.
    const apiHit = hits.find((h) => h.includes('#operation/volumes.action-revert'))!;
    await page.goto(apiHit, { waitUntil: 'load' });
    expect(await waitForApi(page)).to.equal('ready');
    expect(await page.$('[id="operation/volumes.action-revert"]')).to.not.equal(null);
    expect(errors).to.deep.equal([]);
  });

  it('renders each conformance report as a self-contained page with the failing sequence and its replay command', async () => {
    const { siteDir } = await builtSite();
    const { page, errors, external } = await watchedPage(browser!);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url(siteDir, 'conformance/broken-revert-noop.html'), { waitUntil: 'load' });
    expect(requests).to.deep.equal([url(siteDir, 'conformance/broken-revert-noop.html')]);
    const text = await page.$eval('body', (b) => b.innerText);
    expect(await page.title()).to.match(/— FAILED$/);
    expect(text).to.include('Shrunk failing sequence');
    expect(text).to.match(/ashlar conformance run \S+revert-noop\.ts --replay '[^']+'/);
    expect(text).to.include('thinProvisioning');
    expect(errors).to.deep.equal([]);
    expect(external).to.deep.equal([]);
    await screenshot(page, 'conformance-report');
  });
});
