import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backstop, scaledMs } from '../../helpers/budget.js';
import { describeOutcome, runChild } from '../../helpers/run-child.js';
import { requireCeph, startCluster, stopCluster, type TestCluster } from './ceph-cluster.js';
import { images, trash } from './rbd-fixture.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

describe('ashlar conformance run rbd against a throwaway Ceph cluster', function () {
  // Hooks: starting and stopping the cluster. The run itself is bounded by its named budget.
  backstop(this, 3 * 60_000);
  let cluster: TestCluster | undefined;

  before(async function () {
    await requireCeph(this);
    cluster = await startCluster();
  });

  after(async () => {
    await stopCluster(cluster);
  });

  it('passes every suite the driver declares and leaves nothing behind', async function () {
    // No wall-clock limit: the run's budget counts idle-machine time and stops (and names)
    // a run that makes no progress; every backend command logs a line at debug level.
    this.timeout(0);
    const config = path.join(cluster!.dir, 'backend.json');
    const report = path.join(cluster!.dir, 'report.json');
    await writeFile(config, JSON.stringify({ config: { pool: 'rbd', cephConf: cluster!.conf, commandTimeoutMs: scaledMs(120_000) } }));
    // Few model runs: each step is several rbd processes; the full default run is for CI's
    // certification job (./bin/run.js conformance run rbd --config backend.json).
    const seed = String(Math.floor(Math.random() * 2 ** 31));
    const callTimeout = `${Math.ceil(scaledMs(120_000) / 1000)}s`;
    const argv = [process.execPath, bin, 'conformance', 'run', 'rbd', '--config', config, '--runs', '6', '--seed', seed, '--report-json', report, '--call-timeout', callTimeout, '--log-level', 'debug'];
    const outcome = await runChild(argv, {
      name: 'rbd conformance run',
      // Wide for the deep-path scenarios' copies past 4 GiB; hangs are caught by the
      // no-progress budget below.
      ms: 40 * 60_000,
      idleMs: 5 * 60_000,
      waitingFor: `ashlar conformance run rbd (--runs 6, --seed ${seed}, --call-timeout ${callTimeout}) to finish`,
    });
    expect(outcome.expired, describeOutcome(outcome)).to.equal(undefined);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { passed: boolean };
    expect(parsed.passed, `seed ${seed}\n${describeOutcome(outcome)}`).to.equal(true);
    expect(await trash(cluster!)).to.deep.equal([]);
    expect((await images(cluster!)).filter((n) => n.startsWith('volume-'))).to.deep.equal([]);
  });
});
