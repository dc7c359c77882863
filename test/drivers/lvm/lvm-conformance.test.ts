import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireBackend } from '../../helpers/backend-required.js';
import { startLvmHost, type LvmHost } from './lvm-host-fixture.js';

const run = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

/** Model runs per configuration: enough to cover every operation, small enough for CI. */
const RUNS = process.env.ASHLAR_LVM_CONFORMANCE_RUNS ?? '2';

describe('ashlar conformance run lvm (thick and thin, UML test host)', function () {
  this.timeout(30 * 60_000);
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

  for (const lvmType of ['thin', 'default'] as const) {
    it(`passes every suite with lvmType ${lvmType}`, async function () {
      if (!host) this.skip();
      const configFile = path.join(host.dir, `conformance-${lvmType}.json`);
      const reportFile = path.join(host.dir, `report-${lvmType}.json`);
      // Thick runs with volumeClear none: the test host discards freed extents (which reads
      // back as zeros on ubd), so new LVs read as zeros without writing GiBs of zeros per
      // delete; volumeClear zero is covered by the driver tests.
      const config = { volumeGroup: 'ashlar', lvmType, thinPoolSizePercent: 50, ...(lvmType === 'default' ? { volumeClear: 'none' } : {}) };
      await writeFile(configFile, JSON.stringify({ config, transport: { kind: 'lvm-host', host: host.hostJson } }));
      const argv = [bin, 'conformance', 'run', 'lvm', '--config', configFile, '--runs', RUNS, '--report-json', reportFile];
      const outcome = await run(process.execPath, argv, { timeout: 25 * 60_000, maxBuffer: 64 * 1024 * 1024 }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
      );
      expect(outcome.code, outcome.out.split('\n').slice(-40).join('\n')).to.equal(0);
      const report = JSON.parse(await readFile(reportFile, 'utf8')) as { passed: boolean; cleanup: { leftovers: unknown[] }; figures: { modelRuns: number } };
      expect(report.passed).to.equal(true);
      expect(report.cleanup.leftovers).to.deep.equal([]);
      expect(report.figures.modelRuns).to.be.at.least(1);
    });
  }
});
