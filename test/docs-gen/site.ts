/** One docs build shared by the docs tests (typedoc takes seconds): fixture app + sample reports. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPages, renderFiles, writeFiles } from '../../docs-gen/build-docs.js';
import { readReports } from '../../docs-gen/driver-pages.js';
import { buildOpenApiFromApp, type OpenApiDocument } from '../../openapi/build.js';
import { FIXTURE_VERSIONS, createFixtureApp } from '../openapi/fixture-app.js';
import { builtinManifests } from '../../cli/builtin-drivers.js';

/** Directory of the sample conformance reports. */
export const reportsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reports');

let site: Promise<{ dir: string; files: Map<string, string>; openapi: OpenApiDocument }> | undefined;

/** Builds the site once into a temporary directory. */
export function builtSite(): Promise<{ dir: string; files: Map<string, string>; openapi: OpenApiDocument }> {
  site ??= (async () => {
    const openapi = await buildOpenApiFromApp(createFixtureApp, { versions: FIXTURE_VERSIONS });
    const { reports } = await readReports(reportsDir);
    const files = renderFiles(await buildPages({ openapi, reports, manifests: await builtinManifests() }), openapi);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-docs-'));
    await writeFiles(dir, files);
    return { dir, files, openapi };
  })();
  return site;
}
