import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { suggestCommand } from '../../cli/hooks/command-not-found.js';
import { LOCK_FILE } from '../../cli/state-dir-lock.js';
import { serveReadyUrl } from '../helpers/serve-ready.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'run.js');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Issue 15, item 7: CLI rough edges a newcomer tripped over.
describe('CLI rough edges (issue 15)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-cli-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('loads a driver by a relative path written without ./', async () => {
    const { code, stdout, stderr } = await cli('driver', 'inspect', 'test/service/fixtures/slow-file-driver.ts', '--json');
    expect(code, stderr).to.equal(0);
    expect(JSON.parse(stdout)).to.include({ source: 'path' });
  });

  it('suggests the built-in driver for a misspelled name, and its JSON error carries the exit code, not an HTTP status', async () => {
    const { code, stdout } = await cli('driver', 'inspect', 'fle', '--json');
    expect(code).to.equal(2);
    const { error } = JSON.parse(stdout) as { error: Record<string, unknown> };
    expect(error).to.not.have.property('status');
    expect(error).to.include({ code: 'PLUGIN_NOT_FOUND', exitCode: 2 });
    expect(error.suggestions).to.include('did you mean the built-in driver "file"?');
  });

  it('names a mistyped command as typed and suggests the closest one', async () => {
    const { code, stderr } = await cli('driver', 'inspec', 'file');
    expect(code).to.equal(2);
    expect(stderr).to.contain('"driver inspec" is not an ashlar command');
    expect(stderr).to.contain('did you mean "ashlar driver inspect"?');
    expect(stderr).to.not.contain('driver:inspec');
    const known = ['driver list', 'driver inspect', 'conformance run', 'openapi build', 'docs build', 'serve', 'driver', 'docs', 'openapi', 'conformance'];
    expect(suggestCommand('drivr:list', known)).to.deep.equal({ typed: 'drivr list', suggestion: 'driver list' });
    expect(suggestCommand('conformance:rn:file', known)).to.deep.equal({ typed: 'conformance rn', suggestion: 'conformance run' });
    expect(suggestCommand('zzzzzz', known)).to.deep.equal({ typed: 'zzzzzz' });
  });

  it('openapi build: --json without --out carries the document; an explicit --format wins over the extension', async () => {
    const json = await cli('openapi', 'build', '--json');
    expect(json.code, json.stderr).to.equal(0);
    const out = JSON.parse(json.stdout) as { paths: number; document: { openapi: string; paths: object } };
    expect(out.document.openapi).to.equal('3.1.0');
    expect(Object.keys(out.document.paths)).to.have.length(out.paths);
    const file = path.join(dir, 'doc.json');
    expect((await cli('openapi', 'build', '--out', file, '--format', 'yaml')).code).to.equal(0);
    expect(await readFile(file, 'utf8')).to.match(/^openapi: 3\.1\.0/);
    expect((await cli('openapi', 'build', '--out', file)).code).to.equal(0);
    expect(JSON.parse(await readFile(file, 'utf8')).openapi).to.equal('3.1.0');
  });

  it('docs build reports its progress on stderr instead of staying silent', async () => {
    // A missing --app stops it after the first steps: enough to see the progress, without a full build.
    const { stderr } = await cli('docs', 'build', '--check', '--app', './no-such-app.ts');
    expect(stderr).to.match(/^docs \[0\.\d s\]: loading the generators…$/m);
    expect(stderr).to.match(/^docs \[\d+\.\d s\]: building the OpenAPI document from the service routes…$/m);
  });

  it('serve: a port in use is a clear configuration error', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const { code, stderr } = await cli('serve', '--port', String(port), '--state-dir', path.join(dir, 'busy'));
      expect(code).to.equal(2);
      expect(stderr).to.contain(`cannot listen on 127.0.0.1:${port}: the address is in use`);
      expect(stderr).to.not.contain('EADDRINUSE');
    } finally {
      server.close();
    }
  });

  it('serve: a second process on the same state directory is refused; a lock left by a dead one is taken over', async () => {
    const stateDir = path.join(dir, 'shared');
    // A PID that no longer runs: a finished child's.
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => gone.once('exit', r));
    await run('mkdir', ['-p', stateDir]);
    await writeFile(path.join(stateDir, LOCK_FILE), `${gone.pid}\n`);
    const first = spawn(process.execPath, [bin, 'serve', '--state-dir', stateDir, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await serveReadyUrl(first);
      expect((await readFile(path.join(stateDir, LOCK_FILE), 'utf8')).trim()).to.equal(String(first.pid));
      const second = await cli('serve', '--state-dir', stateDir, '--port', '0');
      expect(second.code).to.equal(2);
      expect(second.stderr).to.contain(`in use by another ashlar serve (PID ${first.pid})`);
    } finally {
      first.kill('SIGTERM');
      await new Promise((r) => first.once('exit', r));
    }
    const left = await readFile(path.join(stateDir, LOCK_FILE), 'utf8').catch(() => undefined);
    expect(left, 'the lock is released on a clean stop').to.equal(undefined);
  });
});
