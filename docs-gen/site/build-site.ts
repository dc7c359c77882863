/**
 * Writes the static documentation site: the committed Markdown rendered by markdown-it, the
 * API reference by Redoc, the SDK reference by typedoc, conformance reports as HTML, one
 * navigation around all of it and a MiniSearch index over all of it. Every asset is copied
 * in from an npm package, so the site works offline and from file://.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderHtml as renderReportHtml } from '../../conformance/report/html.js';
import { PACKAGE_ROOT } from '../../core/util/package-root.js';
import type { OpenApiDocument } from '../../openapi/build.js';
import { serializeOpenApi } from '../../openapi/serialize.js';
import { latestByDriver, reportPagePath, type DriverReport } from '../conformance-reports.js';
import type { Page } from '../page.js';
import { API_PAGE, apiReferenceFiles } from './api-page.js';
import { presentationDocument } from './api-presentation.js';
import { framePage, type NavEntry } from './layout.js';
import { createMarkdownRenderer } from './markdown-html.js';
import { apiOperations, markdownSections, sdkDocs, searchIndexScript, type SearchDoc } from './search-index.js';
import { siteNav } from './site-nav.js';
import { writeSdkReference } from './sdk-reference.js';

/** Inputs of a site build. */
export interface SiteInput {
  readonly pages: readonly Page[];
  /** The committed Markdown of each page, by page path. */
  readonly markdown: ReadonlyMap<string, string>;
  readonly openapi?: OpenApiDocument;
  readonly reports?: readonly DriverReport[];
  /** Render the SDK reference with typedoc. @defaultValue true */
  readonly sdk?: boolean;
}

/** What a site build wrote. */
export interface SiteResult {
  /** Every file under the site directory, from its root. */
  readonly files: readonly string[];
  readonly searchDocs: number;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

async function staticAssets(): Promise<Map<string, string | Buffer>> {
  const require = createRequire(import.meta.url);
  const own = path.join(PACKAGE_ROOT, 'docs-gen/site/assets');
  // The package exports no subpath for its browser (UMD) build; it sits beside the CommonJS one.
  const umd = path.join(path.dirname(require.resolve('minisearch')), '../umd/index.js');
  const files = new Map<string, string | Buffer>([['assets/minisearch.js', await readFile(umd)]]);
  for (const name of await readdir(own)) files.set(`assets/${name}`, await readFile(path.join(own, name)));
  return files;
}

function markdownPages(input: SiteInput, nav: readonly NavEntry[], search: SearchDoc[]): Map<string, string> {
  const md = createMarkdownRenderer();
  const files = new Map<string, string>();
  for (const page of input.pages) {
    // With an OpenAPI document the interactive reference takes the page's place.
    if (page.path === 'api-reference.md' && input.openapi) continue;
    const htmlPath = page.path.replace(/\.md$/, '.html');
    const markdown = input.markdown.get(page.path) ?? '';
    files.set(htmlPath, framePage({ path: htmlPath, title: page.title, body: md.render(markdown), nav }));
    search.push(...markdownSections(md, markdown, htmlPath, page.title));
  }
  return files;
}

const SEARCH_BODY = '<h1>Search</h1>\n<p id="search-page-status">Type a word to search.</p>\n<ol id="search-page-results"></ol>';

/** Builds the site into `siteDir` (emptied first: nothing stale survives). */
export async function writeSite(siteDir: string, input: SiteInput): Promise<SiteResult> {
  await rm(siteDir, { recursive: true, force: true });
  await mkdir(siteDir, { recursive: true });
  const latest = [...latestByDriver(input.reports ?? []).values()];
  const reports = latest.map((r) => ({ title: `${r.report.driver.name} ${r.report.driver.version}`, href: reportPagePath(r.report.driver.name), report: r.report }));
  const sdk = input.sdk ?? true;
  const nav = siteNav(input.pages, { api: Boolean(input.openapi), sdk, reports });
  const search: SearchDoc[] = [];
  const files = new Map<string, string | Buffer>([...(await staticAssets()), ...markdownPages(input, nav, search)]);
  if (input.openapi) {
    for (const [f, content] of await apiReferenceFiles(input.openapi, nav)) files.set(f, content);
    files.set('api/openapi.yaml', serializeOpenApi(input.openapi, 'yaml'));
    search.push(...apiOperations(presentationDocument(input.openapi)));
  }
  for (const r of reports) files.set(r.href, renderReportHtml(r.report));
  files.set('search.html', framePage({ path: 'search.html', title: 'Search', body: SEARCH_BODY, nav }));
  if (sdk) search.push(...sdkDocs(await writeSdkReference(siteDir, nav.filter((n) => n.group !== 'Drivers' && n.group !== 'Conformance reports'))));
  files.set('assets/search-index.js', searchIndexScript(search));
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(siteDir, file)), { recursive: true });
    await writeFile(path.join(siteDir, file), content);
  }
  return { files: await listFiles(siteDir), searchDocs: search.length };
}
