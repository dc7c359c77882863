import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBackend } from '../../helpers/backend-required.js';
import { backstop, scaledMs } from '../../helpers/budget.js';
import { describeOutcome, runChild } from '../../helpers/run-child.js';
import { startLvmHost, type LvmHost } from './lvm-host-fixture.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

/** Model runs per configuration: enough to cover every operation, small enough for CI. */
const RUNS = process.env.ASHLAR_LVM_CONFORMANCE_RUNS ?? '2';

/** lvm2 allocation modes the conformance runs cover, one test file each. */
export type LvmType = 'thin' | 'default';

/**
 * Declares the conformance run of the lvm driver in one allocation mode on its own UML
 * test host. Thin and thick live in separate test files so that `npm test` can run them
 * side by side (scripts/run-tests.ts): thick's deep-path copies wait on the host disk
 * while thin's run is mostly lvm2 command latency, so together they take about the time
 * of the longer one.
 */
export function describeLvmConformance(lvmType: LvmType): void {
  describe(`ashlar conformance run lvm (lvmType ${lvmType}, UML test host)`, function () {
    // Hooks: starting the host. The runs themselves are bounded by their named budgets.
    backstop(this, 5 * 60_000);
    let host: LvmHost | undefined;

    before(async function () {
      // Sparse: the model may provision tens of GiB; discards keep the image small.
      const started = await startLvmHost({ diskSize: '96G' });
      if ('unavailable' in started) {
        requireBackend(this, false, `the UML LVM test host (${started.unavailable})`);
        return;
      }
      host = started;
    });

    after(async () => {
      await host?.stop();
    });

    it(`passes every suite with lvmType ${lvmType}`, async function () {
      // No wall-clock limit: the run's budget below counts idle-machine time and stops a
      // run that makes no progress, and names itself when it does.
      this.timeout(0);
      if (!host) this.skip();
      const configFile = path.join(host.dir, `conformance-${lvmType}.json`);
      const reportFile = path.join(host.dir, `report-${lvmType}.json`);
      // Thick runs with volumeClear none: the test host discards freed extents (which reads
      // back as zeros on ubd), so new LVs read as zeros without writing GiBs of zeros per
      // delete; volumeClear zero is covered by the driver tests.
      const config = { volumeGroup: 'ashlar', lvmType, thinPoolSizePercent: 50, ...(lvmType === 'default' ? { volumeClear: 'none' } : {}) };
      await writeFile(configFile, JSON.stringify({ config, transport: { kind: 'lvm-host', host: host.hostJson } }));
      // Debug logging prints a line per backend command: that output is the run's progress.
      // Each driver call's own limit (--call-timeout) is scaled to the machine at the start.
      const callTimeout = `${Math.ceil(scaledMs(120_000) / 1000)}s`;
      const argv = [process.execPath, bin, 'conformance', 'run', 'lvm', '--config', configFile, '--runs', RUNS, '--report-json', reportFile, '--call-timeout', callTimeout, '--log-level', 'debug'];
      const outcome = await runChild(argv, {
        name: `lvm conformance run (lvmType ${lvmType})`,
        // The whole-run budget is wide on purpose: the deep-path scenarios (extend past
        // 4 GiB, then clone/copy) write GiBs through the UML disk, which is bound by the host
        // disk, not the CPU the slowness factor measures (thick took over 16 min here at load
        // 1.4). A hang is caught by the no-progress budget below, which stays at 5 min.
        ms: 60 * 60_000,
        idleMs: 5 * 60_000,
        waitingFor: `ashlar conformance run lvm (--runs ${RUNS}, --call-timeout ${callTimeout}) to finish`,
      });
      expect(outcome.code, describeOutcome(outcome)).to.equal(0);
      const report = JSON.parse(await readFile(reportFile, 'utf8')) as { passed: boolean; cleanup: { leftovers: unknown[] }; figures: { modelRuns: number } };
      expect(report.passed).to.equal(true);
      expect(report.cleanup.leftovers).to.deep.equal([]);
      expect(report.figures.modelRuns).to.be.at.least(1);
    });
  });
}
