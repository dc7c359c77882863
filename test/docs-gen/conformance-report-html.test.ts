import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { renderHtml } from '../../conformance/report/html.js';
import type { ConformanceReport } from '../../core/generated/schemas.js';
import { reportsDir } from './site.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js');

async function sample(file: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(reportsDir, file), 'utf8')) as ConformanceReport;
}

describe('conformance report as self-contained HTML', () => {
  it('shows the verdict, every suite and check, the shrunk sequence with its replay command, skips and versions', async () => {
    const report = await sample('broken-revert-noop.json');
    const html = renderHtml(report, { environment: { Node: 'v20.0.0' } });
    expect(html).to.match(/<title>Conformance: broken-revert-noop 1\.0\.0 — FAILED<\/title>/);
    for (const s of report.suites) {
      expect(html).to.include(`id="suite-${s.name}"`);
      for (const c of s.checks) expect(html).to.include(`<td>${c.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</td>`);
    }
    const failure = report.suites.flatMap((s) => s.checks).find((c) => c.failure?.commands?.length)!.failure!;
    expect(html).to.include(`1. ${failure.commands![0]!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(html).to.include(`ashlar conformance run ${report.driver.spec} --replay '${failure.replay}'`);
    expect(html).to.include(`<td>${report.skipped[0]!.reason}</td>`);
    expect(html).to.include('<th scope="row">Node</th><td>v20.0.0</td>');
    expect(html).to.include(`ashlar ${report.tool.version}, driver contract ${report.tool.contract}`);
    // Self-contained: nothing to fetch, nothing to run.
    expect(html).to.not.match(/<script|<link|\ssrc=|url\(/);
  });

  it('escapes what the driver said', async () => {
    const report = await sample('file.json');
    const hostile = { ...report, driver: { ...report.driver, name: '<img src=x onerror=alert(1)>' } };
    const html = renderHtml(hostile);
    expect(html).to.not.include('<img');
    expect(html).to.include('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is written by `ashlar conformance run --report-html`', async function () {
    this.timeout(120_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-report-html-'));
    try {
      const out = path.join(dir, 'report.html');
      await promisify(execFile)(process.execPath, [bin, 'conformance', 'run', 'file', '--only', 'static', '--runs', '1', '--seed', '3', '--report-html', out], { timeout: 110_000 });
      const html = await readFile(out, 'utf8');
      expect(html).to.match(/<title>Conformance: file \d+\.\d+\.\d+ — PASSED<\/title>/);
      expect(html).to.include('<th scope="row">Node</th><td>v20.');
      expect(html).to.include('id="suite-static"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
