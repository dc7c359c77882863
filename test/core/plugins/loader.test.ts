import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAshlarError, type AshlarErrorLike } from '../../../core/errors/index.js';
import { instantiateDriver, loadPlugin } from '../../../core/plugins/index.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/plugins');
const fixture = (name: string): string => path.join(fixtures, `${name}.ts`);

async function errorOf(p: Promise<unknown>): Promise<AshlarErrorLike> {
  try {
    await p;
  } catch (err) {
    if (isAshlarError(err)) return err;
    throw err;
  }
  throw new Error('expected a coded error');
}

describe('plugin loader', () => {
  it('loads the built-in file driver by name through the public plugin API', async () => {
    const loaded = await loadDriverPlugin('file');
    expect(loaded.source).to.equal('builtin');
    expect(loaded.manifest.name).to.equal('file');
    expect(loaded.manifest.capabilities).to.include('snapshots');
  });

  it('loads a plugin module by path', async () => {
    const loaded = await loadPlugin(fixture('missing-npm'));
    expect(loaded.source).to.equal('path');
  });

  it('loads an installed package by name', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-pkg-'));
    const pkg = path.join(dir, 'node_modules', '@acme', 'ashlar-driver');
    await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/ashlar-driver', version: '1.0.0', type: 'module', main: 'index.js' }));
    const manifest = { name: '@acme/ashlar-driver', version: '1.0.0', contract: '>=1.0.0 <2', description: 'packaged', vendor: 'ACME', capabilities: [], protocols: ['iscsi'], commands: [], semantics: { deleteVolumeWithSnapshots: 'busy' }, configSchema: { type: 'object' } };
    await writeFile(path.join(pkg, 'index.js'), `export default { manifest: ${JSON.stringify(manifest)}, create() { return {}; } };\n`);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const loaded = await loadPlugin('@acme/ashlar-driver');
      expect(loaded.source).to.equal('package');
      expect(loaded.manifest.vendor).to.equal('ACME');
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an unknown driver with PLUGIN_NOT_FOUND and lists the built-ins', async () => {
    const err = await errorOf(loadDriverPlugin('./no/such/driver.ts'));
    expect(err.code).to.equal('PLUGIN_NOT_FOUND');
    expect((err as unknown as { suggestions: string[] }).suggestions.join(' ')).to.contain('built-in drivers: file, lvm, ontap, rbd');
    // The SDK alone knows no built-ins: a bare name is a package name.
    const bare = await errorOf(loadPlugin('file'));
    expect(bare.code).to.equal('PLUGIN_NOT_FOUND');
    expect((bare as unknown as { suggestions: string[] }).suggestions.join(' ')).to.not.contain('built-in');
    expect((await errorOf(loadPlugin('no-such-package-xyz'))).code).to.equal('PLUGIN_NOT_FOUND');
  });

  it('rejects an invalid manifest with PLUGIN_INVALID naming the bad fields', async () => {
    const err = await errorOf(loadPlugin(fixture('bad-manifest')));
    expect(err.code).to.equal('PLUGIN_INVALID');
    expect(err.message).to.contain('capabilities/0');
    expect(err.message).to.contain('version');
  });

  it('rejects a module without a factory', async () => {
    expect((await errorOf(loadPlugin(fixture('no-factory')))).code).to.equal('PLUGIN_INVALID');
  });

  it('rejects a plugin written for another contract major', async () => {
    const err = await errorOf(loadPlugin(fixture('wrong-contract')));
    expect(err.code).to.equal('PLUGIN_CONTRACT_MISMATCH');
    expect(err.message).to.contain('^2.0.0');
  });

  it('names a missing binary dependency and how to install it', async () => {
    const err = await errorOf(instantiateDriver(await loadPlugin(fixture('missing-binary'))));
    expect(err.code).to.equal('MISSING_DEPENDENCY');
    expect(err.message).to.contain('ashlar-no-such-tool');
    expect(err.message).to.contain('apt-get install ashlar-no-such-tool');
  });

  it('names a missing npm dependency, declared or imported', async () => {
    const declared = await errorOf(instantiateDriver(await loadPlugin(fixture('missing-npm'))));
    expect(declared.code).to.equal('MISSING_DEPENDENCY');
    expect(declared.message).to.contain('ashlar-no-such-package');
    const imported = await errorOf(loadPlugin(fixture('imports-missing-package')));
    expect(imported.code).to.equal('MISSING_DEPENDENCY');
    expect(imported.message).to.contain('ashlar-nonexistent-dependency');
  });

  it('refuses a driver that declares a capability it does not implement', async () => {
    const err = await errorOf(instantiateDriver(await loadPlugin(fixture('declares-unimplemented'))));
    expect(err.code).to.equal('PLUGIN_INVALID');
    expect(err.message).to.contain('snapshots.createSnapshot');
  });

  it('rejects a config typo with "did you mean" and the section name', async () => {
    const err = await errorOf(instantiateDriver(await loadDriverPlugin('file'), { config: { directroy: '/tmp/x' }, backendName: 'lvm-1' }));
    expect(err.code).to.equal('CONFIG_INVALID');
    expect(err.message).to.contain('[lvm-1]');
    expect(err.message).to.contain('did you mean "directory"');
  });

  it('rejects config values of the wrong type and missing required keys', async () => {
    const loaded = await loadDriverPlugin('file');
    const wrongType = await errorOf(instantiateDriver(loaded, { config: { directory: '/tmp/x', reflink: 'sometimes' } }));
    expect(wrongType.code).to.equal('CONFIG_INVALID');
    expect(wrongType.message).to.contain('reflink');
    const missing = await errorOf(instantiateDriver(loaded, { config: {} }));
    expect(missing.code).to.equal('CONFIG_INVALID');
    expect(missing.message).to.contain('directory');
  });
});
