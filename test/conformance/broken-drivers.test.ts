import { expect } from 'chai';
import type { ConformanceCheckResult, ConformanceReport } from '../../core/generated/schemas.js';
import { loadDriverPlugin } from '../../cli/builtin-drivers.js';
import { CHECK_RULES } from '../../conformance/coverage/check-rules.js';
import { prepareTarget } from '../../conformance/run-file.js';
import { runConformance, type ConformanceConfig } from '../../conformance/index.js';
import { brokenFixtures } from '../fixtures/broken-drivers/catalog.js';

const SEED = 42;

/** Runs the library the way the CLI does: a temporary directory, removed afterwards. */
async function certify(spec: string, options: Pick<ConformanceConfig, 'runs' | 'checks' | 'callTimeoutMs'>): Promise<ConformanceReport> {
  const plugin = await loadDriverPlugin(spec);
  const target = await prepareTarget(plugin, undefined);
  try {
    return await runConformance({ plugin, driverConfig: target.driverConfig, watchDirectories: target.watchDirectories, seed: SEED, ...options });
  } finally {
    await target.release();
  }
}

function failures(report: ConformanceReport): { property: string; message: string }[] {
  const out = report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'failed').map((c) => ({ property: `${s.name}/${c.name}`, message: c.message ?? '' })));
  if (report.cleanup.status === 'failed') out.push({ property: 'cleanup', message: report.cleanup.leftovers.join('; ') });
  return out;
}

function checkNamed(report: ConformanceReport, property: string): ConformanceCheckResult | undefined {
  const [suite, ...name] = property.split('/');
  return report.suites.find((s) => s.name === suite)?.checks.find((c) => c.name === name.join('/'));
}

// Each fixture exports what it must do (expectation.ts); the list is read from the folder.
const fixtures = await brokenFixtures();

describe('conformance runner self-test (issues #3, #11, #12)', function () {
  this.timeout(180_000);

  it('passes the real file driver, with exactly the checks the rule table names', async () => {
    const report = await certify('file', { runs: 30 });
    expect(failures(report), JSON.stringify(failures(report))).to.deep.equal([]);
    expect(report.passed).to.equal(true);
    expect(report.figures.modelRuns).to.be.at.least(30);
    expect(report.suites.map((s) => `${s.name} ${s.status}`)).to.deep.equal(['static passed', 'lifecycle passed', 'negative passed', 'concurrency passed', 'replication skipped']);
    expect(report.cleanup.probes?.join(' ')).to.match(/files under .*ashlar-conformance-file-/);
    const checks = report.suites.flatMap((s) => s.checks.map((c) => `${s.name}/${c.name}`));
    // The replication checks need a driver declaring replication (ontap: test/drivers/ontap/replication-conformance.test.ts).
    const fileChecks = Object.keys(CHECK_RULES).filter((k) => !k.startsWith('replication/'));
    expect([...checks].sort(), 'conformance/coverage/check-rules.ts names exactly the runner\'s checks').to.deep.equal(fileChecks.sort());
    const replicationOnly = new Set<string>(['replicationStats', 'failover', 'failoverUnknown', 'failoverIdempotent', 'failoverCompleted', 'failoverRestart']);
    expect(report.rules?.filter((r) => r.status !== 'passed' && !replicationOnly.has(r.rule)).map((r) => r.rule), 'rules the file driver was not held to').to.deep.equal([]);
  });

  for (const { name, path, expectation: e } of fixtures) {
    it(`fails the ${name} fixture in ${e.check} (${e.rule})`, async () => {
      expect(CHECK_RULES[e.check], `${e.check} is a check of the runner`).to.not.equal(undefined);
      expect(CHECK_RULES[e.check], `${e.check} holds drivers to rule ${e.rule}`).to.include(e.rule);
      const report = await certify(path, { runs: e.runs, checks: [e.check], callTimeoutMs: e.callTimeoutMs });
      expect(report.passed, 'the broken driver passed').to.equal(false);
      const check = checkNamed(report, e.check);
      expect(check?.status, `expected ${e.check} to fail; failures: ${JSON.stringify(failures(report))}`).to.equal('failed');
      expect(check!.message).to.match(e.message);
      expect(check!.failure?.rule, 'the failure carries the rule key').to.equal(e.rule);
      expect(check!.failure?.only, 'the failure says how to rerun just it').to.equal(e.check);
      expect(report.rules?.find((r) => r.rule === e.rule)?.status).to.equal('failed');
      if (check!.failure?.seed !== undefined) {
        expect(check!.failure.replay, 'a property failure carries a replay token').to.be.a('string').and.match(/~/);
        expect(check!.failure.commands?.length ?? 0).to.be.greaterThan(0);
      }
    });
  }
});
