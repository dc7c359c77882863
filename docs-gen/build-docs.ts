/**
 * Builds every documentation page and renders it as Markdown (committed under docs/; the
 * HTML site is built from it by site/build-site.ts into docs/html/, not committed).
 * Deterministic: no timestamps, stable ordering, so a rebuild that changes nothing changes
 * no byte and CI can compare.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DriverManifest } from '../core/contract/types.js';
import type { OpenApiDocument } from '../openapi/build.js';
import { serializeOpenApi } from '../openapi/serialize.js';
import { apiReferencePage } from './api-reference.js';
import { contractInterfaces, contractProject } from './contract-model.js';
import { driverGuidePage } from './driver-guide.js';
import type { DriverReport } from './conformance-reports.js';
import { driverPage } from './driver-pages.js';
import { code, link, type Page } from './page.js';
import { catalogPage, errorsPage } from './reference-pages.js';
import { renderMarkdown } from './render-markdown.js';
import { supportMatrixPage } from './support-matrix.js';

/** Inputs of a docs build. */
export interface DocsInput {
  /** The API document; without it the API reference is left out. */
  readonly openapi?: OpenApiDocument;
  /** Conformance reports for the support matrix. */
  readonly reports?: readonly DriverReport[];
  /** Drivers to document (the composition root passes the built-in drivers' manifests). */
  readonly manifests: readonly DriverManifest[];
}

/** Every page, index first. */
export async function buildPages(input: DocsInput): Promise<Page[]> {
  const manifests = input.manifests;
  const interfaces = contractInterfaces(await contractProject());
  const pages: Page[] = [
    driverGuidePage(interfaces),
    supportMatrixPage(manifests, input.reports ?? []),
    ...[...manifests].sort((a, b) => a.name.localeCompare(b.name, 'en')).map(driverPage),
    ...(input.openapi ? [apiReferencePage(input.openapi)] : []),
    errorsPage(),
    catalogPage(),
  ];
  const index: Page = {
    path: 'index.md',
    title: 'Ashlar docs',
    blocks: [
      { heading: 'Ashlar documentation', level: 1 },
      { para: `Generated from core/schemas, core/contract, the driver manifests, the error registry and the OpenAPI document by ${code('ashlar docs build')}. Do not edit: change the source and rebuild.` },
      { list: pages.map((p) => link(p.title, p.path)) },
    ],
  };
  return [index, ...pages];
}

/** The committed files by path below the output directory: Markdown and the OpenAPI YAML. */
export function renderFiles(pages: readonly Page[], openapi?: OpenApiDocument): Map<string, string> {
  const files = new Map<string, string>();
  for (const page of pages) files.set(page.path, renderMarkdown(page));
  if (openapi) files.set('api/openapi.yaml', serializeOpenApi(openapi, 'yaml'));
  return files;
}

/** Where the site goes below the output directory (gitignored: built, never committed). */
export const SITE_DIR = 'html';

/** Whether a file below the output directory is committed (and so checked for drift). */
export const isCommitted = (file: string): boolean => !file.startsWith(`${SITE_DIR}/`);

/** Writes the files under `outDir`. */
export async function writeFiles(outDir: string, files: Map<string, string>): Promise<void> {
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(outDir, file)), { recursive: true });
    await writeFile(path.join(outDir, file), text);
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/** Committed files under `outDir` that differ from a fresh build, are missing, or are stale leftovers. */
export async function driftedFiles(outDir: string, files: Map<string, string>): Promise<string[]> {
  const drift: string[] = [];
  for (const [file, text] of files) {
    const current = await readFile(path.join(outDir, file), 'utf8').catch(() => undefined);
    if (current === undefined) drift.push(`missing: ${file}`);
    else if (current !== text) drift.push(`differs: ${file}`);
  }
  for (const file of await listFiles(outDir)) {
    if (isCommitted(file) && !files.has(file) && (file.endsWith('.md') || file.endsWith('.yaml'))) drift.push(`stale: ${file}`);
  }
  return drift.sort();
}
