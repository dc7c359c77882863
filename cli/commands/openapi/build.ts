import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { OpenApiFormat } from '../../../openapi/serialize.js';
import { AshlarCommand, EXIT } from '../../base-command.js';

/** `ashlar openapi build`: the OpenAPI 3.1 document of the routes the service serves. */
export default class OpenApiBuild extends AshlarCommand {
  static override summary = 'Build the OpenAPI 3.1 document from the routes the service registers.';
  static override description =
    'Creates the service app (without listening), collects every route with its documentation and composes the document from core/schemas. Without --out the document goes to stdout (with --json, as the `document` member of the JSON output). The format is --format when given, else json when --out ends in .json, else yaml. With --check the file named by --out is compared with a fresh build and the command fails on any difference (the CI drift check).';
  static override examples = [
    '<%= config.bin %> openapi build --out docs/api/openapi.yaml',
    '<%= config.bin %> openapi build --format json',
    '<%= config.bin %> openapi build --check --out docs/api/openapi.yaml',
  ];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'Write the document to this file instead of stdout.' }),
    format: Flags.option({ options: ['yaml', 'json'] as const, description: 'Output format. Default: json when --out ends in .json, else yaml; given explicitly it wins over the extension.' })(),
    app: Flags.string({ description: 'Document another app: module path, optionally #exportName (default export createApp). Defaults to the reference service.' }),
    check: Flags.boolean({ default: false, description: 'Compare with --out instead of writing; fail on drift.' }),
  };

  async run(): Promise<{ out?: string; paths: number; operations: number; inSync?: boolean; document?: unknown }> {
    const { flags } = await this.parse(OpenApiBuild);
    // Loaded here so that other commands (serve) never load the OpenAPI builder.
    const [{ appToDocument }, { buildOpenApiFromApp }, { serializeOpenApi }] = await Promise.all([
      import('../../service-app.js'),
      import('../../../openapi/build.js'),
      import('../../../openapi/serialize.js'),
    ]);
    const format: OpenApiFormat = flags.format ?? (flags.out?.endsWith('.json') ? 'json' : 'yaml');
    const app = await appToDocument(flags.app);
    const doc = await buildOpenApiFromApp(app.factory, { versions: app.versions });
    const text = serializeOpenApi(doc, format);
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    const summary = { paths: Object.keys(doc.paths).length, operations };
    if (flags.check) {
      if (!flags.out) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: '--check needs --out naming the committed document' } });
      const current = await readFile(flags.out, 'utf8').catch(() => '');
      if (current !== text) {
        if (!this.jsonEnabled()) process.stderr.write(`${flags.out} is out of date: run \`ashlar openapi build --out ${flags.out}\` and commit the result\n`);
        this.exit(EXIT.FAILED);
      }
      if (!this.jsonEnabled()) this.log(`${flags.out} is in sync with the served routes`);
      return { out: flags.out, ...summary, inSync: true };
    }
    if (flags.out) {
      await mkdir(path.dirname(flags.out), { recursive: true });
      await writeFile(flags.out, text);
      if (!this.jsonEnabled()) this.log(`wrote ${flags.out}: ${summary.paths} paths, ${operations} operations`);
      return { out: flags.out, ...summary };
    }
    if (!this.jsonEnabled()) process.stdout.write(text);
    // With --json the JSON output is the only stdout: the document travels inside it.
    return this.jsonEnabled() ? { ...summary, document: doc } : summary;
  }
}
