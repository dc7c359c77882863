import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { localInitiatorName } from '../../../core/connectors/index.js';
import type { ConformanceReport } from '../../../core/generated/schemas.js';
import { backstop, scaledMs } from '../../helpers/budget.js';
import { ADMIN, driverConfig, requireTgt, startCluster, stopCluster, SVM, type SimCluster } from './simulator-fixture.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/run.js');
const harness = (...args: string[]): string[] => [process.execPath, '--import', 'tsx', path.join(root, 'scripts/ontap-sim/harness.ts'), ...args];

describe('ashlar conformance run ontap --only replication: SnapMirror between two simulator clusters (issue 14)', function () {
  backstop(this, 20 * 60_000);
  let primary: SimCluster | undefined;
  let secondary: SimCluster | undefined;

  before(async function () {
    await requireTgt(this);
    primary = await startCluster('rprim');
    secondary = await startCluster('rsec', {
      volumes: [],
      roles: [{ name: 'ashlar_driver', privileges: [{ path: '/api', access: 'all' }] }],
      peers: [{ name: 'rprim', url: primary.url, username: ADMIN.name, password: ADMIN.password, dataDir: primary.dir }],
    });
  });

  after(async () => {
    await stopCluster(secondary);
    await stopCluster(primary);
  });

  it('passes the replication suite with the primary down at failover, and reports the failover time and loss window', async () => {
    const replication = { backendId: 'rsec', hostname: '127.0.0.1', port: secondary!.port, transport: 'http', username: 'ashlar', password: 'sim-driver-pw', svm: SVM, iscsiPort: secondary!.iscsiPort, sourceCluster: 'rprim' };
    const config = path.join(primary!.dir, 'replication.json');
    const report = path.join(primary!.dir, 'replication-report.json');
    await writeFile(
      config,
      JSON.stringify({
        config: driverConfig(primary!, { replication }),
        connector: { host: 'ashlar-conformance', initiator: localInitiatorName() },
        replication: {
          targetId: 'rsec',
          sync: harness('transfer', secondary!.dir, secondary!.configFile),
          primaryDown: harness('faults', primary!.dir, primary!.configFile, '{"unresponsive": true}'),
          primaryUp: harness('faults', primary!.dir, primary!.configFile, '{"unresponsive": false}'),
          afterFailover: { activeBackendId: 'rsec' },
        },
      }),
    );
    const result = await run(process.execPath, [bin, 'conformance', 'run', 'ontap', '--config', config, '--only', 'replication', '--report-json', report], {
      timeout: scaledMs(19 * 60_000),
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => err);
    const parsed = JSON.parse(await readFile(report, 'utf8')) as ConformanceReport;
    const suite = parsed.suites.find((s) => s.name === 'replication');
    expect(suite?.status, `${(result as { stderr?: string }).stderr ?? ''}`).to.equal('passed');
    expect(suite!.checks.map((c) => c.status)).to.deep.equal(['passed', 'passed']);
    expect(suite!.checks[1]!.message).to.match(/failover of 3 volumes took \d+ ms; the write made after the last sync was (kept|lost)/);
    expect(parsed.skipped.map((s) => s.name)).not.to.include('replication');
    expect(parsed.passed).to.equal(true);
  });
});
