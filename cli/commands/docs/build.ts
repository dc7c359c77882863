import { Flags } from '@oclif/core';
import { AshlarCommand, EXIT } from '../../base-command.js';

/** `ashlar docs build`: the generated documentation, Markdown and HTML. */
export default class DocsBuild extends AshlarCommand {
  static override summary = 'Generate the driver guide, driver pages, support matrix, API reference and error table.';
  static override description =
    'Reads core/contract through typedoc, the built-in drivers\' manifests, the error registry, the capability catalog and the OpenAPI document of the service. Writes Markdown (committed) and html/ (static site) under --out. --check compares the committed Markdown and openapi.yaml with a fresh build in memory and fails on drift.';
  static override examples = ['<%= config.bin %> docs build', '<%= config.bin %> docs build --out /tmp/site --reports reports/', '<%= config.bin %> docs build --check'];
  static override flags = {
    out: Flags.string({ char: 'o', default: 'docs', description: 'Output directory.' }),
    reports: Flags.string({ description: 'Directory of conformance JSON reports ({driver, suites: [{name, status}]}) for the support matrix.' }),
    app: Flags.string({ description: 'Document another app than the reference service: module path, optionally #exportName.' }),
    check: Flags.boolean({ default: false, description: 'Compare with --out instead of writing; fail on drift.' }),
  };

  async run(): Promise<{ out: string; files: number; drift?: string[]; ignoredReports?: string[] }> {
    const { flags } = await this.parse(DocsBuild);
    // Loaded here, not at the top: every command module is imported whenever the CLI starts
    // (oclif's explicit command list), and typedoc and the OpenAPI builder must not weigh on `serve`.
    const [{ buildPages, driftedFiles, renderFiles, writeFiles }, { readReports }, { appToDocument }, { buildOpenApiFromApp }, { builtinManifests }] = await Promise.all([
      import('../../../docs-gen/build-docs.js'),
      import('../../../docs-gen/driver-pages.js'),
      import('../../service-app.js'),
      import('../../../openapi/build.js'),
      import('../../builtin-drivers.js'),
    ]);
    const app = await appToDocument(flags.app);
    const openapi = await buildOpenApiFromApp(app.factory, { versions: app.versions });
    const { reports, ignored } = flags.reports ? await readReports(flags.reports) : { reports: [], ignored: [] };
    for (const i of ignored) this.warn(`report ignored: ${i}`);
    const files = renderFiles(await buildPages({ openapi, reports, manifests: await builtinManifests() }), openapi);
    if (flags.check) {
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
    return { out: flags.out, files: files.size, ...(ignored.length ? { ignoredReports: ignored } : {}) };
  }
}
