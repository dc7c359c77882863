import { expect } from 'chai';
import { splitOnly } from '../../cli/commands/conformance/run.js';
import { prepareTarget } from '../../conformance/run-file.js';
import { runConformance } from '../../conformance/runner.js';
import { loadDriverPlugin } from '../../cli/builtin-drivers.js';

describe('conformance --only (issue #12)', function () {
  this.timeout(120_000);

  it('splits suites from suite/check names and refuses names that are neither', () => {
    expect(splitOnly(['static', 'negative/unknown ids answer not-found'])).to.deep.equal({ suites: ['static'], checks: ['negative/unknown ids answer not-found'] });
    expect(splitOnly(undefined)).to.deep.equal({ suites: undefined, checks: undefined });
    expect(() => splitOnly(['negative/no such check'])).to.throw(/not a suite .* nor a check/);
  });

  it('runs exactly the named check and reports the other rules as not run', async () => {
    const plugin = await loadDriverPlugin('file');
    const target = await prepareTarget(plugin, undefined);
    try {
      const report = await runConformance({ plugin, driverConfig: target.driverConfig, watchDirectories: target.watchDirectories, seed: 5, runs: 5, checks: ['lifecycle/state survives a restart'] });
      expect(report.suites.map((s) => [s.name, s.checks.map((c) => c.name)])).to.deep.equal([['lifecycle', ['state survives a restart']]]);
      expect(report.options.checks).to.deep.equal(['lifecycle/state survives a restart']);
      expect(report.figures.modelRuns).to.equal(0);
      expect(report.rules?.find((r) => r.rule === 'restart')?.status).to.equal('passed');
      expect(report.rules?.find((r) => r.rule === 'clone')?.status).to.equal('not-run');
    } finally {
      await target.release();
    }
  });
});
