import { expect } from 'chai';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createExecutor } from '../../../core/executor/executor.js';
import { redact } from '../../../core/executor/redact.js';
import { codeOf } from '../../helpers/error-code.js';


describe('executor', () => {
  const exec = createExecutor({ owner: 'test', allow: ['echo', 'cat', 'sleep', 'sh-not-allowed-here', 'false', 'ls'] });

  it('refuses programs that are not allow-listed, and paths even to allowed programs', async () => {
    expect(await codeOf(exec.run(['rm', '-rf', '/tmp/nothing']))).to.equal('COMMAND_NOT_ALLOWED');
    expect(await codeOf(exec.run(['/bin/echo', 'x']))).to.equal('COMMAND_NOT_ALLOWED');
    expect(await codeOf(exec.run(['../echo', 'x']))).to.equal('COMMAND_NOT_ALLOWED');
    expect(await codeOf(exec.run([]))).to.equal('INVALID_ARGUMENT');
  });

  it('passes hostile arguments to the program literally, never through a shell', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-exec-'));
    try {
      const hostile = ['; touch pwned', '$(touch pwned)', '`touch pwned`', '| touch pwned', '&& touch pwned', '../../etc/passwd', '*', 'ünïcødé'];
      const { stdout, exitCode } = await exec.run(['echo', ...hostile.map((h) => h.replace('pwned', path.join(dir, 'pwned')))]);
      expect(exitCode).to.equal(0);
      expect(stdout.toString()).to.equal(hostile.map((h) => h.replace('pwned', path.join(dir, 'pwned'))).join(' ') + '\n');
      expect(await readdir(dir)).to.deep.equal([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses NUL bytes in arguments', async () => {
    expect(await codeOf(exec.run(['echo', 'a\0b']))).to.equal('INVALID_ARGUMENT');
  });

  it('feeds stdin and returns stdout as bytes', async () => {
    const data = Buffer.from([0, 1, 2, 255, 10, 13]);
    const { stdout } = await exec.run(['cat'], { stdin: data });
    expect(Buffer.compare(stdout, data)).to.equal(0);
  });

  it('kills a command at its time limit with TIMEOUT', async () => {
    const started = Date.now();
    expect(await codeOf(exec.run(['sleep', '10'], { timeoutMs: 100 }))).to.equal('TIMEOUT');
    expect(Date.now() - started).to.be.below(5000);
  });

  it('kills a command when the signal aborts, with ABORTED', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await codeOf(exec.run(['sleep', '10'], { signal: ac.signal }))).to.equal('ABORTED');
  });

  it('returns non-zero exits from run and throws COMMAND_FAILED from runOrThrow', async () => {
    expect((await exec.run(['false'])).exitCode).to.equal(1);
    expect(await codeOf(exec.runOrThrow(['ls', '/definitely/not/here']))).to.equal('COMMAND_FAILED');
  });

  it('reports a missing program as BACKEND_UNAVAILABLE naming it', async () => {
    try {
      await exec.run(['sh-not-allowed-here']);
      expect.fail('should throw');
    } catch (err) {
      expect((err as { code?: string }).code).to.equal('BACKEND_UNAVAILABLE');
      expect((err as Error).message).to.contain('sh-not-allowed-here');
    }
  });

  it('redacts secrets from failure messages', async () => {
    const secretive = createExecutor({ owner: 'test', allow: ['ls'], secrets: ['hunter2-secret'] });
    try {
      await secretive.runOrThrow(['ls', '/no/such/hunter2-secret']);
      expect.fail('should throw');
    } catch (err) {
      expect((err as Error).message).not.to.contain('hunter2-secret');
      expect((err as Error).message).to.contain('***');
    }
    expect(redact('a key=abcd-efgh b', ['abcd-efgh'])).to.equal('a key=*** b');
  });
});
