import path from 'node:path';
import { Flags } from '@oclif/core';
import { AshlarCommand, EXIT } from '../../base-command.js';

/** `ashlar docs build`: the generated documentation, Markdown and the static HTML site. */
export default class DocsBuild extends AshlarCommand {
  static override summary = 'Generate the driver guide, driver pages, support matrix, API reference and error table, and the HTML site.';
  static override description =
    'Reads core/contract through typedoc, the built-in drivers\' manifests, the error registry, the capability catalog and the OpenAPI document of the service. Writes Markdown and api/openapi.yaml (committed) under --out, and the static site under --out/html (not committed): the Markdown rendered by markdown-it, the API reference by Redoc, the SDK reference by typedoc, conformance reports as HTML, one navigation and a search over all of it; it works offline and from file://. --check compares the committed Markdown and openapi.yaml with a fresh build in memory, fails on drift, and builds no site.';
  static override examples = [
    '<%= config.bin %> docs build',
    '<%= config.bin %> docs build --out /tmp/site --reports reports/conformance/',
    '<%= config.bin %> docs build --check',
  ];
  static override flags = {
    out: Flags.string({ char: 'o', default: 'docs', description: 'Output directory.' }),
    reports: Flags.string({ description: 'Directory of conformance JSON reports (ashlar conformance run --report-json) for the support matrix and the report pages.' }),
    app: Flags.string({ description: 'Document another app than the reference service: module path, optionally #exportName.' }),
    check: Flags.boolean({ default: false, description: 'Compare with --out instead of writing; fail on drift.' }),
    'no-site': Flags.boolean({ default: false, description: 'Write the Markdown only, no HTML site.' }),
  };

  async run(): Promise<{ out: string; files: number; drift?: string[]; ignoredReports?: string[]; site?: { dir: string; files: number; searchDocs: number; ms: number } }> {
    const { flags } = await this.parse(DocsBuild);
    // The build takes tens of seconds (typedoc reads the whole contract): say what it is doing.
    const began = Date.now();
    const step = (what: string): void => {
      if (!this.jsonEnabled()) process.stderr.write(`docs [${((Date.now() - began) / 1000).toFixed(1)} s]: ${what}…\n`);
    };
    step('loading the generators');
    // Loaded here, not at the top: every command module is imported whenever the CLI starts
    // (oclif's explicit command list), and typedoc and the OpenAPI builder must not weigh on `serve`.
    const [{ buildPages, driftedFiles, renderFiles, writeFiles, SITE_DIR }, { readReports }, { appToDocument }, { buildOpenApiFromApp }, { builtinManifests }] = await Promise.all([
      import('../../../docs-gen/build-docs.js'),
      import('../../../docs-gen/conformance-reports.js'),
      import('../../service-app.js'),
      import('../../../openapi/build.js'),
      import('../../builtin-drivers.js'),
    ]);
    step('building the OpenAPI document from the service routes');
    const app = await appToDocument(flags.app);
    const openapi = await buildOpenApiFromApp(app.factory, { versions: app.versions });
    const { reports, ignored } = flags.reports ? await readReports(flags.reports) : { reports: [], ignored: [] };
    for (const i of ignored) this.warn(`report ignored: ${i}`);
    step('reading the driver contract (typedoc) and rendering the pages');
    const pages = await buildPages({ openapi, reports, manifests: await builtinManifests() });
    const files = renderFiles(pages, openapi);
    if (flags.check) {
      step(`comparing with ${flags.out}`);
      const drift = await driftedFiles(flags.out, files);
      if (drift.length) {
        if (!this.jsonEnabled()) process.stderr.write(`${drift.join('\n')}\nthe generated docs are out of date: run \`ashlar docs build\` and commit the result\n`);
        this.exit(EXIT.FAILED);
      }
      if (!this.jsonEnabled()) this.log(`${flags.out} is in sync with its sources`);
      return { out: flags.out, files: files.size, drift };
    }
    await writeFiles(flags.out, files);
    if (!this.jsonEnabled()) this.log(`wrote ${files.size} files under ${flags.out}`);
    const result = { out: flags.out, files: files.size, ...(ignored.length ? { ignoredReports: ignored } : {}) };
    if (flags['no-site']) return result;
    step('writing the HTML site');
    const started = Date.now();
    const { writeSite } = await import('../../../docs-gen/site/build-site.js');
    const dir = path.join(flags.out, SITE_DIR);
    const site = await writeSite(dir, { pages, markdown: files, openapi, reports });
    const ms = Date.now() - started;
    if (!this.jsonEnabled()) this.log(`wrote the site (${site.files.length} files, ${site.searchDocs} search entries) under ${dir} in ${(ms / 1000).toFixed(1)} s: open ${path.join(dir, 'index.html')}`);
    return { ...result, site: { dir, files: site.files.length, searchDocs: site.searchDocs, ms } };
  }
}
