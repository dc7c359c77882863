import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { ConformanceReport, ConformanceSuiteName } from '../../core/generated/schemas.js';
import { loadPlugin } from '../../core/plugins/loader.js';
import { prepareTarget } from '../../conformance/run-file.js';
import { runConformance } from '../../conformance/runner.js';

const SEED = 42;

/** Runs the library the way the CLI does: a temporary directory, removed afterwards. */
async function certify(spec: string, options: { runs: number; only?: ConformanceSuiteName[] }): Promise<ConformanceReport> {
  const plugin = await loadPlugin(spec);
  const target = await prepareTarget(plugin, undefined);
  try {
    return await runConformance({
      plugin,
      driverConfig: target.driverConfig,
      watchDirectories: target.watchDirectories,
      seed: SEED,
      runs: options.runs,
      only: options.only,
    });
  } finally {
    await target.release();
  }
}

function failures(report: ConformanceReport): { property: string; message: string }[] {
  const out = report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'failed').map((c) => ({ property: `${s.name}/${c.name}`, message: c.message ?? '' })));
  if (report.cleanup.status === 'failed') out.push({ property: 'cleanup', message: report.cleanup.leftovers.join('; ') });
  return out;
}

interface Broken {
  readonly fixture: string;
  /** The suites that must catch it (others are not run, to keep the test short). */
  readonly only: ConformanceSuiteName[];
  readonly runs: number;
  /** The property that must fail, and what its message must say. */
  readonly property: string;
  readonly message: RegExp;
}

const BROKEN: readonly Broken[] = [
  { fixture: 'snapshot-shares-blocks', only: ['lifecycle'], runs: 100, property: 'lifecycle/model', message: /snapshot|smaller than its source|wrong data/ },
  { fixture: 'delete-not-idempotent', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /already deleted volume \(must be idempotent\).*VOLUME_NOT_FOUND/ },
  { fixture: 'extend-no-grow', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /after extendVolume: .* should be \d+ GiB, the data path sees/ },
  { fixture: 'clone-partial', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /clone of .* has wrong data/ },
  { fixture: 'wrong-not-found-code', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /expected VOLUME_NOT_FOUND, got BACKEND_ERROR/ },
  { fixture: 'stats-free-over-total', only: ['static'], runs: 1, property: 'static/stats valid and consistent', message: /free_capacity_gb .* exceeds total_capacity_gb/ },
  { fixture: 'leak-on-delete', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /left over after cleanup: .*snapshot-.*\.json/ },
  { fixture: 'state-lost-on-restart', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /after restart/ },
  { fixture: 'clone-race', only: ['concurrency'], runs: 30, property: 'concurrency/parallel clones with a racing delete', message: /clone|wrong data|failed under concurrency/ },
  { fixture: 'path-traversal', only: ['negative'], runs: 10, property: 'negative/hostile names are refused', message: /createVolume with id .*: expected INVALID_ARGUMENT, but it succeeded/ },
  { fixture: 'second-initialize-broken', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /connecting to .*INVALID_ARGUMENT.*device_path/ },
  { fixture: 'revert-wrong-snapshot', only: ['lifecycle'], runs: 30, property: 'lifecycle/model', message: /after revert to .* has wrong data/ },
];

describe('conformance runner self-test (issue #3)', function () {
  this.timeout(120_000);

  it('passes the real file driver', async () => {
    const report = await certify('file', { runs: 30 });
    expect(failures(report), JSON.stringify(failures(report))).to.deep.equal([]);
    expect(report.passed).to.equal(true);
    expect(report.figures.modelRuns).to.be.at.least(30);
    expect(report.suites.map((s) => s.name)).to.deep.equal(['static', 'lifecycle', 'negative', 'concurrency']);
    expect(report.cleanup.probes?.join(' ')).to.match(/files under .*ashlar-conformance-file-/);
  });

  for (const b of BROKEN) {
    it(`fails the ${b.fixture} fixture in ${b.property}`, async () => {
      const spec = fileURLToPath(new URL(`../fixtures/broken-drivers/${b.fixture}.ts`, import.meta.url));
      const report = await certify(spec, { runs: b.runs, only: b.only });
      expect(report.passed, 'the broken driver passed').to.equal(false);
      const found = failures(report);
      const hit = found.find((f) => f.property === b.property);
      expect(hit, `expected ${b.property} to fail; failures: ${JSON.stringify(found)}`).to.not.equal(undefined);
      expect(hit!.message).to.match(b.message);
      const check = report.suites.flatMap((s) => s.checks).find((c) => c.failure?.property.startsWith(b.property.split('/')[0]!));
      if (check?.failure?.seed !== undefined) {
        expect(check.failure.replay, 'a property failure carries a replay token').to.be.a('string').and.match(/~/);
        expect(check.failure.commands?.length ?? 0).to.be.greaterThan(0);
      }
    });
  }
});
