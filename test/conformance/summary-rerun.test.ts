import { expect } from 'chai';
import type { ConformanceReport } from '../../core/generated/schemas.js';
import { renderMarkdown } from '../../conformance/report/markdown.js';
import { renderSummary, shellWord } from '../../conformance/report/summary.js';

const report: ConformanceReport = {
  reportVersion: 1,
  tool: { name: 'ashlar', version: '0.1.0', contract: '1.0.0' },
  driver: { spec: './my driver.ts', name: 'x', version: '1.0.0', capabilities: [] },
  options: { seed: 7, runs: 30, maxCommands: 40 },
  startedAt: new Date(0).toISOString(),
  durationMs: 1200,
  passed: false,
  interrupted: false,
  suites: [
    {
      name: 'lifecycle',
      status: 'failed',
      durationMs: 10,
      checks: [{ name: 'model', status: 'failed', durationMs: 10, runs: 30, message: 'bad', failure: { property: 'lifecycle/model', message: 'bad', seed: 7, path: '29:1', shrinks: 3, replay: 'lifecycle.model~7~29:1~40~AB:C', commands: ['createVolume(1 GiB)'] } }],
    },
    { name: 'negative', status: 'passed', durationMs: 5, checks: [{ name: 'unknown-ids', status: 'passed', durationMs: 1 }, { name: 'manage', status: 'skipped', durationMs: 0, message: 'capability "manage" is not declared' }] },
  ],
  skipped: [{ kind: 'command', name: 'createClonedVolume', reason: 'capability "clone" is not declared' }],
  cleanup: { status: 'passed', created: 1, deleted: 1, leftovers: [], errors: [] },
  figures: { modelRuns: 33, modelSteps: 90, stepsPerSecond: 900 },
};

// Issue 15, item 6: the replay command dropped --config, "1 skipped" named nothing, and
// --runs 30 printed "33 model runs" (the shrinking runs counted in).
describe('conformance summary: rerun commands, skips, run counts (issue 15)', () => {
  it('keeps the run\'s --config in the replay command, quoted for a shell', () => {
    const text = renderSummary(report, { rerunArgs: ['--config', "conf/o'neil.json"] });
    expect(text).to.include(`replay: ashlar conformance run './my driver.ts' --config 'conf/o'\\''neil.json' --replay 'lifecycle.model~7~29:1~40~AB:C'`);
    expect(renderMarkdown(report, { rerunArgs: ['--config', 'backend.json'] })).to.include("ashlar conformance run './my driver.ts' --config backend.json --replay 'lifecycle.model~7~29:1~40~AB:C'");
  });

  it('names every skip with its reason, and counts exactly those', () => {
    const text = renderSummary(report);
    expect(text).to.include('negative/manage: capability "manage" is not declared');
    expect(text).to.include('command createClonedVolume: capability "clone" is not declared');
    expect(text).to.match(/1\/3 checks passed, 2 skipped/);
  });

  it('prints the model runs asked for, and the shrinking runs apart', () => {
    expect(renderSummary(report)).to.include('30 model runs (+3 while shrinking)');
    const passing = { ...report, figures: { ...report.figures, modelRuns: 30 } };
    expect(renderSummary(passing)).to.include(', 30 model runs (');
  });

  it('quotes only what a shell would read otherwise', () => {
    expect(shellWord('file')).to.equal('file');
    expect(shellWord('a b')).to.equal("'a b'");
    expect(shellWord('$(rm -rf /)')).to.equal("'$(rm -rf /)'");
  });
});
