import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { ConformanceReport } from '../../core/generated/schemas.js';

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/**
 * Runs `conformance run file` in its own TMPDIR, sends SIGINT once `marker` is printed (and
 * `extra` more SIGINTs right after), and returns the exit code, stderr and what is left.
 */
async function interrupt(marker: string, extra: number): Promise<{ code: number | null; stderr: string; report: ConformanceReport; left: string[] }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ashlar-interrupt-'));
  const reportFile = path.join(tmp, 'report.json');
  try {
    const child = spawn(process.execPath, [BIN, 'conformance', 'run', 'file', '--seed', '3', '--runs', '5', '--report-json', reportFile], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes(marker)) {
        sent = true;
        child.kill('SIGINT');
        for (let i = 0; i < extra; i++) child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as ConformanceReport;
    // Only the run's own directories count (tsx keeps its compile cache in TMPDIR too).
    const left = (await readdir(tmp)).filter((n) => n.startsWith('ashlar-conformance-'));
    return { code, stderr, report, left };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

describe('conformance run interrupted with Ctrl-C (issue #12)', function () {
  this.timeout(240_000);

  it('stops during the last suite, cleans up, writes its report and exits 130', async () => {
    const { code, stderr, report, left } = await interrupt('▶ concurrency', 0);
    expect(code, stderr.slice(-2000)).to.equal(130);
    expect(report.interrupted).to.equal(true);
    expect(report.passed).to.equal(false);
    expect(report.cleanup.status, JSON.stringify(report.cleanup)).to.equal('passed');
    expect(report.suites.flatMap((s) => s.checks).filter((c) => c.status === 'failed'), 'an interruption is no failure').to.deep.equal([]);
    expect(left, 'the temporary backend directory is removed').to.deep.equal([]);
    expect(stderr).to.match(/INTERRUPTED: file/);
  });

  it('keeps cleaning up through a second Ctrl-C', async () => {
    const { code, report, left } = await interrupt('▶ negative', 1);
    expect(code).to.equal(130);
    expect(report.interrupted).to.equal(true);
    expect(report.cleanup.status).to.equal('passed');
    expect(left).to.deep.equal([]);
  });
});
