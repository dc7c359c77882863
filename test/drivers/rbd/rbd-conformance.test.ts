import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireCeph, startCluster, stopCluster, type TestCluster } from './ceph-cluster.js';
import { images, trash } from './rbd-fixture.js';

const run = promisify(execFile);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

describe('ashlar conformance run rbd against a throwaway Ceph cluster', function () {
  this.timeout(20 * 60_000);
  let cluster: TestCluster | undefined;

  before(async function () {
    await requireCeph(this);
    cluster = await startCluster();
  });

  after(async () => {
    await stopCluster(cluster);
  });

  it('passes every suite the driver declares and leaves nothing behind', async () => {
    const config = path.join(cluster!.dir, 'backend.json');
    const report = path.join(cluster!.dir, 'report.json');
    await writeFile(config, JSON.stringify({ config: { pool: 'rbd', cephConf: cluster!.conf } }));
    // Few model runs: each step is several rbd processes; the full default run is for CI's
    // certification job (./bin/run.js conformance run rbd --config backend.json).
    const seed = String(Math.floor(Math.random() * 2 ** 31));
    const result = await run(process.execPath, [bin, 'conformance', 'run', 'rbd', '--config', config, '--runs', '6', '--seed', seed, '--report-json', report], {
      timeout: 19 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string; code?: number }) => err);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as { passed: boolean };
    expect(parsed.passed, `seed ${seed}\n${(result as { stderr?: string }).stderr ?? ''}`).to.equal(true);
    expect(await trash(cluster!)).to.deep.equal([]);
    expect((await images(cluster!)).filter((n) => n.startsWith('volume-'))).to.deep.equal([]);
  });
});
