/**
 * One docs build shared by the docs tests (typedoc takes seconds): the fixture app, the
 * sample conformance reports (real runs: the file driver, and a deliberately broken driver
 * whose manifest joins the built-in ones), the committed files, and on demand the HTML site.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinManifests, loadDriverPlugin } from '../../cli/builtin-drivers.js';
import type { DriverManifest } from '../../core/contract/types.js';
import { buildPages, renderFiles, SITE_DIR, writeFiles } from '../../docs-gen/build-docs.js';
import { readReports, type DriverReport } from '../../docs-gen/conformance-reports.js';
import type { Page } from '../../docs-gen/page.js';
import { writeSite, type SiteResult } from '../../docs-gen/site/build-site.js';
import { buildOpenApiFromApp, type OpenApiDocument } from '../../openapi/build.js';
import { FIXTURE_VERSIONS, createFixtureApp } from '../openapi/fixture-app.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Directory of the sample conformance reports. */
export const reportsDir = path.join(here, 'reports');

/** The broken driver whose real (failing) report is among the samples. */
export const brokenDriverSpec = path.join(here, '../fixtures/broken-drivers/revert-noop.ts');

/** What the shared Markdown build produced. */
export interface BuiltDocs {
  /** Output directory of the committed files (the site goes under html/). */
  readonly dir: string;
  readonly files: Map<string, string>;
  readonly pages: Page[];
  readonly openapi: OpenApiDocument;
  readonly reports: DriverReport[];
}

/** The Markdown build plus the HTML site. */
export interface BuiltSite extends BuiltDocs {
  readonly siteDir: string;
  readonly site: SiteResult;
  /** Seconds the site build took. */
  readonly siteSeconds: number;
}

let docs: Promise<BuiltDocs> | undefined;
let site: Promise<BuiltSite> | undefined;

/** The manifests the sample build documents: the built-in drivers and the broken one. */
export async function sampleManifests(): Promise<DriverManifest[]> {
  return [...(await builtinManifests()), (await loadDriverPlugin(brokenDriverSpec)).manifest];
}

/** Builds the committed files once into a temporary directory. */
export function builtDocs(): Promise<BuiltDocs> {
  docs ??= (async () => {
    const openapi = await buildOpenApiFromApp(createFixtureApp, { versions: FIXTURE_VERSIONS });
    const { reports } = await readReports(reportsDir);
    const pages = await buildPages({ openapi, reports, manifests: await sampleManifests() });
    const files = renderFiles(pages, openapi);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-docs-'));
    await writeFiles(dir, files);
    return { dir, files, pages, openapi, reports };
  })();
  return docs;
}

/** Builds the HTML site once from {@link builtDocs} (typedoc and the assets take a while). */
export function builtSite(): Promise<BuiltSite> {
  site ??= (async () => {
    const built = await builtDocs();
    const siteDir = path.join(built.dir, SITE_DIR);
    const started = Date.now();
    const result = await writeSite(siteDir, { pages: built.pages, markdown: built.files, openapi: built.openapi, reports: built.reports });
    return { ...built, siteDir, site: result, siteSeconds: (Date.now() - started) / 1000 };
  })();
  return site;
}
