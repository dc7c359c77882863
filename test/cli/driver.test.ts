import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { coreValidator } from '../../core/validation/schema-registry.js';

const run = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ashlar driver (CLI)', function () {
  this.timeout(60_000);

  it('inspect --json prints a schema-valid manifest with config options and defaults', async () => {
    const { code, stdout } = await cli('driver', 'inspect', 'file', '--json');
    expect(code).to.equal(0);
    const out = JSON.parse(stdout) as { manifest: unknown; configOptions: { name: string; default?: unknown; required: boolean }[]; methods: Record<string, string[]> };
    expect(coreValidator('manifest')(out.manifest)).to.equal(true);
    expect(out.configOptions.find((o) => o.name === 'reflink')?.default).to.equal('auto');
    expect(out.configOptions.find((o) => o.name === 'directory')?.required).to.equal(true);
    expect(out.methods.snapshots).to.deep.equal(['createSnapshot', 'deleteSnapshot', 'createVolumeFromSnapshot']);
  });

  it('list shows the built-in drivers', async () => {
    const { code, stdout } = await cli('driver', 'list', '--json');
    expect(code).to.equal(0);
    expect((JSON.parse(stdout) as { drivers: { name: string }[] }).drivers.map((d) => d.name)).to.include('file');
  });

  it('an unknown driver exits 2 with the code and hints, and as JSON with --json', async () => {
    const human = await cli('driver', 'inspect', './nope.ts');
    expect(human.code).to.equal(2);
    expect(human.stderr).to.contain('PLUGIN_NOT_FOUND');
    expect(human.stderr).to.contain('hint:');
    const json = await cli('driver', 'inspect', './nope.ts', '--json');
    expect(json.code).to.equal(2);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).to.equal('PLUGIN_NOT_FOUND');
  });

  it('--help describes the command and its argument', async () => {
    const { code, stdout } = await cli('driver', 'inspect', '--help');
    expect(code).to.equal(0);
    expect(stdout).to.contain('Built-in name, path to a plugin module, or package name');
    expect(stdout).to.contain('--json');
  });
});
