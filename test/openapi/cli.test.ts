import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);
const bin = path.resolve('bin/run.js');
const app = 'test/openapi/fixture-app.ts#createFixtureApp';

describe('ashlar openapi build', function () {
  this.timeout(60_000);

  it('writes YAML, passes --check on the fresh file and fails it after an edit', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ashlar-openapi-')), 'openapi.yaml');
    await run(bin, ['openapi', 'build', '--app', app, '--out', out]);
    const doc = parse(await readFile(out, 'utf8')) as { openapi: string; info: { version: string } };
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.info.version).to.equal('3.70');
    await run(bin, ['openapi', 'build', '--app', app, '--out', out, '--check']);
    await appendFile(out, '# hand edit\n');
    const failed = await run(bin, ['openapi', 'build', '--app', app, '--out', out, '--check']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stderr).to.include('is out of date');
  });

  it('prints JSON with --format json', async () => {
    const { stdout } = await run(bin, ['openapi', 'build', '--app', app, '--format', 'json']);
    expect((JSON.parse(stdout) as { paths: Record<string, unknown> }).paths).to.have.property('/v3/{project_id}/volumes');
  });
});
