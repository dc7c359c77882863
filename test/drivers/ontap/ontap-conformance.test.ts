import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { localInitiatorName } from '../../../core/connectors/index.js';
import { admin, driverConfig, requireTgt, startCluster, stopCluster, type SimCluster } from './simulator-fixture.js';
import { backstop, scaledMs } from '../../helpers/budget.js';

const run = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

describe('ashlar conformance run ontap against the ONTAP simulator (real iSCSI data path)', function () {
  // A backstop scaled to the machine; the run's own limit below fails first and says so.
  backstop(this, 45 * 60_000);
  let cluster: SimCluster | undefined;

  before(async function () {
    await requireTgt(this);
    cluster = await startCluster('conf');
  });

  after(async () => {
    await stopCluster(cluster);
  });

  // Issue 13: every check of the runner, including issue 12's (look-alike ids, three-host
  // multiattach, deep paths past 4 GiB, stats ledger, foreign revert), with real iSCSI I/O.
  // About 13 min at load 5 (most of it qemu-io logins and REST round trips per step).
  it('passes every suite the driver declares and leaves no LUN behind', async () => {
    const config = path.join(cluster!.dir, 'backend.json');
    const report = path.join(cluster!.dir, 'report.json');
    // The connector logs in under this host's initiator name, so the driver must map to it.
    await writeFile(config, JSON.stringify({ config: driverConfig(cluster!), connector: { host: 'ashlar-conformance', initiator: localInitiatorName() } }));
    // Few model runs: each step is several REST calls and qemu processes; the full default
    // run is for certification (./bin/run.js conformance run ontap --config backend.json).
    const seed = String(Math.floor(Math.random() * 2 ** 31));
    const result = await run(process.execPath, [bin, 'conformance', 'run', 'ontap', '--config', config, '--runs', '2', '--seed', seed, '--report-json', report], {
      timeout: scaledMs(44 * 60_000),
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => err);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { passed: boolean };
    expect(parsed.passed, `seed ${seed}\n${(result as { stdout?: string }).stdout ?? ''}`).to.equal(true);
    const luns = (await admin(cluster!, 'GET', '/api/storage/luns?name=*/volume-*')).body.records as unknown[];
    expect(luns).to.deep.equal([]);
  });
});
