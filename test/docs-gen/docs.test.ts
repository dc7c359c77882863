import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPages, driftedFiles, renderFiles } from '../../docs-gen/build-docs.js';
import { readReports } from '../../docs-gen/conformance-reports.js';
import { SERVICE_API_VERSIONS, SERVICE_APP } from '../../cli/service-app.js';
import { builtinManifests } from '../../cli/builtin-drivers.js';
import { buildOpenApiFromApp } from '../../openapi/build.js';
import { builtDocs, reportsDir, sampleManifests } from './site.js';

const repoDocs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

describe('docs build', function () {
  // typedoc reads core/contract once for the whole file; on a loaded machine that takes a minute.
  this.timeout(180_000);

  it('documents every required and capability method with its TSDoc contract', async () => {
    const { files } = await builtDocs();
    const guide = files.get('driver-guide.md')!;
    expect(guide).to.include('<a id="volumedriver-deletevolume"></a>');
    expect(guide).to.include('Idempotent: deleting a volume that is already gone succeeds.');
    expect(guide).to.include('[VOLUME_EXISTS](errors.md#volume_exists)');
    expect(guide).to.include('<a id="snapshotcapable-createvolumefromsnapshot"></a>');
    expect(guide).to.include('<a id="capability-thinprovisioning"></a>');
  });

  it('renders the driver page from the manifest, pipes in types escaped for tables', async () => {
    const page = (await builtDocs()).files.get('drivers/file.md')!;
    expect(page).to.include('| `reflink` | `"auto" \\| "always" \\| "never"` | no | `"auto"` |');
    expect(page).to.include('| binary | `cp` | local | `apt-get install coreutils` |');
  });

  it('builds the support matrix from real conformance reports: certified, failed, not tested, not declared, with date and versions', async () => {
    const { files, reports } = await builtDocs();
    const matrix = files.get('support-matrix.md')!;
    const row = (driver: string): string[] => matrix.split('\n').find((l) => l.startsWith(`| [\`${driver}\`]`))!.split(' | ').slice(1);
    const file = reports.find((r) => r.report.driver.name === 'file')!.report;
    // Columns: version, run, required, then the capability catalog in schema order.
    expect(row('file').slice(0, 3)).to.deep.equal(['1.0.0', `[${file.startedAt.slice(0, 10)}](conformance/file.html), driver 1.0.0, ashlar ${file.tool.version}`, 'certified']);
    expect(row('file').slice(3, 7)).to.deep.equal(['certified', 'certified', 'certified', 'certified']);
    expect(row('file')).to.include('not declared');
    expect(row('file').at(-1)).to.equal('not tested |');
    // revert-noop breaks only revertToSnapshot: its failures quote that rule first.
    expect(row('broken-revert-noop').slice(2, 7)).to.deep.equal(['checks passed', 'checks passed', 'checks passed', '**failed**', 'checks passed']);
    expect(row('lvm').slice(1, 3)).to.deep.equal(['no report', 'declared']);
  });

  it('ignores files that are not conformance reports, saying why', async () => {
    const { reports, ignored } = await readReports(reportsDir);
    expect(reports.map((r) => r.file)).to.deep.equal(['broken-revert-noop.json', 'file.json']);
    expect(ignored).to.have.length(1);
    expect(ignored[0]).to.match(/^other\.json: not a conformance report \(/);
  });

  it('renders the API reference from the OpenAPI document', async () => {
    const ref = (await builtDocs()).files.get('api-reference.md')!;
    expect(ref).to.include('### POST `/v3/{project_id}/volumes/{volume_id}/action`');
    expect(ref).to.include('| `revert` | 3.40 |');
    expect(ref).to.include('**Removed** in 3.64 (410 Gone)');
  });

  it('is deterministic', async () => {
    const { files, openapi } = await builtDocs();
    const { reports } = await readReports(reportsDir);
    const again = renderFiles(await buildPages({ openapi, reports, manifests: await sampleManifests() }), openapi);
    expect([...again.entries()]).to.deep.equal([...files.entries()]);
  });

  it('reports a hand-edited, a missing and a stale file as drift', async () => {
    const { dir, files } = await builtDocs();
    const copy = new Map(files);
    await writeFile(path.join(dir, 'errors.md'), `${await readFile(path.join(dir, 'errors.md'), 'utf8')}edited\n`);
    copy.set('extra.md', 'new page\n');
    copy.delete('capability-catalog.md');
    expect(await driftedFiles(dir, copy)).to.deep.equal(['differs: errors.md', 'missing: extra.md', 'stale: capability-catalog.md']);
    await writeFile(path.join(dir, 'errors.md'), files.get('errors.md')!);
  });

  it('committed docs/ match a fresh build (run `ashlar docs build` after changing a source)', async () => {
    const openapi = await buildOpenApiFromApp(SERVICE_APP.factory, { versions: SERVICE_API_VERSIONS });
    const files = renderFiles(await buildPages({ openapi, manifests: await builtinManifests() }), openapi);
    expect(await driftedFiles(repoDocs, files)).to.deep.equal([]);
  });
});
