import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { coreValidator } from '../../core/validation/schema-registry.js';
import { distIsFresh, sourceStamp } from '../../bin/dist-stamp.js';
import { serveReadyUrl } from '../helpers/serve-ready.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'run.js');

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Shifts a source file's mtime by a second, runs `fn`, and puts the mtime back. */
async function withTouchedSource<T>(rel: string, fn: () => Promise<T>): Promise<T> {
  const file = path.join(root, rel);
  // Fractional seconds keep the sub-millisecond part a Date would drop.
  const { atimeMs, mtimeMs } = statSync(file);
  utimesSync(file, atimeMs / 1000, (mtimeMs - 1000) / 1000);
  try {
    return await fn();
  } finally {
    utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
  }
}

async function startServe(env: Record<string, string>, stateDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--state-dir', stateDir, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await serveReadyUrl(child, () => `: ${stderr}`);
  return { child, url };
}

describe('bin/run.js: the precompiled dist/ fast path', function () {
  this.timeout(120_000);
  const DIST = { ASHLAR_RUNTIME: 'dist' };

  before(async () => {
    // A fresh build, as `npm ci` (prepare) makes it; later CLI tests then run from it too.
    await run('npm', ['run', 'build'], { cwd: root });
  });

  it('a fresh build matches the sources, and any change to a source makes it stale', async () => {
    expect(distIsFresh(root)).to.equal(true);
    // An older mtime counts too: a checkout or an archive extraction can leave one behind.
    await withTouchedSource('core/errors/registry.ts', async () => {
      expect(distIsFresh(root)).to.equal(false);
      const forced = await cli(DIST, '--version');
      expect(forced.code).to.equal(1);
      expect(forced.stderr).to.contain('npm run build');
      // Without forcing, a stale dist/ is ignored: the sources run through tsx.
      const auto = await cli({}, '--version');
      expect(auto.code).to.equal(0);
      expect(auto.stdout).to.match(/^ashlar\/\d+\.\d+\.\d+ /);
    });
    expect(distIsFresh(root)).to.equal(true);
  });

  it('dist/ loads the one-file kysely bundle, and the installed kysely version is part of the stamp', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'node_modules', 'kysely', 'package.json'), 'utf8')) as { version: string };
    expect(sourceStamp(root)).to.contain(`vendor:kysely\t${version}\n`);
    const bundle = path.join(root, 'dist', 'vendor', 'kysely.cjs');
    expect(existsSync(bundle)).to.equal(true);
    // A child process, so this test's own (source) copy of kysely is not in the way.
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', [
      `const { createRequire } = await import('node:module');`,
      `const { kysely } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'service', 'db', 'kysely-runtime.js')).href)});`,
      `const cache = createRequire(import.meta.url).cache;`,
      `console.log(JSON.stringify({ bundled: Object.keys(cache).includes(${JSON.stringify(bundle)}), unbundled: Object.keys(cache).some((k) => k.includes('node_modules/kysely/')), hasKysely: typeof kysely.Kysely }));`,
    ].join('\n')], { cwd: root });
    expect(JSON.parse(stdout)).to.deep.equal({ bundled: true, unbundled: false, hasKysely: 'function' });
  });

  it('serve from dist answers GET / with the versions document (300)', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-dist-'));
    let child: ChildProcess | undefined;
    try {
      const started = await startServe(DIST, stateDir);
      child = started.child;
      const res = await fetch(`${started.url}/`);
      expect(res.status).to.equal(300);
      const body = (await res.json()) as { versions: Record<string, unknown>[] };
      expect(body.versions[0]).to.include({ id: 'v3.0', version: '3.70', min_version: '3.0', status: 'CURRENT' });
    } finally {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('driver inspect file --json from dist prints a schema-valid manifest', async () => {
    const { code, stdout } = await cli(DIST, 'driver', 'inspect', 'file', '--json');
    expect(code).to.equal(0);
    const out = JSON.parse(stdout) as { manifest: { name: string }; methods: Record<string, string[]> };
    expect(coreValidator('manifest')(out.manifest)).to.equal(true);
    expect(out.manifest.name).to.equal('file');
    expect(out.methods.snapshots).to.deep.equal(['createSnapshot', 'deleteSnapshot', 'createVolumeFromSnapshot']);
  });

  it('loads a TypeScript driver plugin given by path while running from dist', async () => {
    const { code, stdout, stderr } = await cli(DIST, 'driver', 'inspect', './test/service/fixtures/slow-file-driver.ts', '--json');
    expect(code, stderr).to.equal(0);
    const out = JSON.parse(stdout) as { manifest: { name: string }; configOptions: { name: string }[] };
    expect(out.manifest.name).to.equal('slow-file');
    expect(out.configOptions.map((o) => o.name)).to.include('directory');
  });

  it('reports a missing TypeScript plugin from dist with PLUGIN_NOT_FOUND, as from the sources', async () => {
    const json = await cli(DIST, 'driver', 'inspect', './nope.ts', '--json');
    expect(json.code).to.equal(2);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).to.equal('PLUGIN_NOT_FOUND');
  });

  it('runs when executed through its shebang (with its V8 flags), as `ashlar` and `npx ashlar` run it', async () => {
    const { stdout } = await run(bin, ['--version'], { cwd: root });
    expect(stdout).to.match(/^ashlar\/\d+\.\d+\.\d+ /);
    // The V8 flag serve's memory figure depends on is in the line the kernel executes.
    expect(readFileSync(bin, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env -S node --max-semi-space-size=2');
  });

  it('runs the command_not_found hook from dist too (issue 15: did-you-mean for a mistyped command)', async () => {
    const { code, stderr } = await cli(DIST, 'drivr', 'list');
    expect(code).to.equal(2);
    expect(stderr).to.contain('did you mean "ashlar driver list"?');
  });

  it('rejects an unknown ASHLAR_RUNTIME', async () => {
    const { code, stderr } = await cli({ ASHLAR_RUNTIME: 'bun' }, '--version');
    expect(code).to.equal(1);
    expect(stderr).to.contain('ASHLAR_RUNTIME');
  });
});
