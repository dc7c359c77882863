import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { DriverInstance } from '../../../core/plugins/index.js';
import { codeOf } from '../../helpers/error-code.js';
import { newVolume, ontapInstance, readAt, writeAt } from './driver-fixture.js';
import { admin, ADMIN, FLEXVOLS, requireTgt, startCluster, stopCluster, SVM, type SimCluster } from './simulator-fixture.js';

type Rec = Record<string, unknown>;

async function waitJob(c: SimCluster, answer: { status: number; body: Rec }): Promise<void> {
  if (answer.status !== 202) return;
  const href = ((answer.body.job as Rec)._links as { self: { href: string } }).self.href;
  for (let i = 0; i < 2400; i += 1) {
    const job = (await admin(c, 'GET', href)).body;
    if (job.state === 'success') return;
    if (job.state === 'failure') throw new Error(`job failed: ${String(job.message)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

/** Runs one SnapMirror update of every relationship (what a schedule does on a real cluster). */
async function transferAll(secondary: SimCluster): Promise<void> {
  const rels = (await admin(secondary, 'GET', '/api/snapmirror/relationships?fields=state')).body.records as Rec[];
  for (const r of rels) await waitJob(secondary, await admin(secondary, 'POST', `/api/snapmirror/relationships/${String(r.uuid)}/transfers`, {}));
}

describe('ontap replication: SnapMirror between two simulator clusters, failover + failoverCompleted', function () {
  this.timeout(300_000);
  let primary: SimCluster | undefined;
  let secondary: SimCluster | undefined;
  let nodeA: DriverInstance;
  let nodeB: DriverInstance;

  before(async function () {
    await requireTgt(this);
    primary = await startCluster('prim');
    // The destination keeps its relationships and reads the source through the peer entry.
    secondary = await startCluster('sec', {
      volumes: [],
      roles: [{ name: 'ashlar_driver', privileges: [{ path: '/api', access: 'all' }] }],
      peers: [{ name: 'prim', url: primary.url, username: ADMIN.name, password: ADMIN.password, dataDir: primary.dir }],
    });
    const replication = {
      backendId: 'sec',
      hostname: '127.0.0.1',
      port: secondary.port,
      transport: 'http',
      username: 'ashlar',
      password: 'sim-driver-pw',
      svm: SVM,
      iscsiPort: secondary.iscsiPort,
      sourceCluster: 'prim',
    };
    // Two instances on one backend, as two nodes of an active-active volume service.
    nodeA = await ontapInstance(primary, { replication });
    nodeB = await ontapInstance(primary, { replication });
  });

  after(async () => {
    await stopCluster(secondary);
    await stopCluster(primary);
  });

  it('sets up one mirrored FlexVol per pool and reports replication in stats', async () => {
    const rels = (await admin(secondary!, 'GET', '/api/snapmirror/relationships?fields=state,healthy,source,destination')).body.records as Rec[];
    expect(rels.map((r) => (r.destination as Rec).path).sort()).to.deep.equal(FLEXVOLS.map((f) => `${SVM}:${f}`));
    expect(rels.every((r) => r.state === 'snapmirrored' && r.healthy === true)).to.equal(true);
    const vols = (await admin(secondary!, 'GET', '/api/storage/volumes?fields=type')).body.records as Rec[];
    expect(vols.every((v) => v.type === 'dp')).to.equal(true);
    const { stats } = await nodeA.driver.getStats({ refresh: true });
    expect(stats.replication_enabled).to.equal(true);
    expect(stats.replication_targets).to.deep.equal(['sec']);
  });

  it('fails over to the mirror: data transferred before the failure is served by the target', async () => {
    const v = newVolume(1);
    await nodeA.driver.createVolume({ volume: v });
    const data = randomBytes(8192);
    await writeAt(nodeA, v, 65_536, data);
    await transferAll(secondary!);
    const lag = ((await admin(secondary!, 'GET', '/api/snapmirror/relationships?fields=lag_time')).body.records as Rec[]).map((r) => r.lag_time);
    expect(lag.every((l) => typeof l === 'string' && /^PT\d+S$/.test(l))).to.equal(true);
    // The primary dies.
    await admin(primary!, 'PATCH', '/api/_sim/faults', { unresponsive: true });
    try {
      expect(await codeOf(nodeA.driver.failover({ secondaryId: 'elsewhere', volumes: [v] }))).to.equal('INVALID_ARGUMENT');
      const result = await nodeA.driver.failover({ secondaryId: 'sec', volumes: [v, newVolume(1)] });
      expect(result.activeBackendId).to.equal('sec');
      expect(result.volumeUpdates.map((u) => u.replicationStatus)).to.deep.equal(['failed-over', 'error']);
      const rels = (await admin(secondary!, 'GET', '/api/snapmirror/relationships?fields=state')).body.records as Rec[];
      expect(rels.every((r) => r.state === 'broken_off')).to.equal(true);
      // Node A now works on the target; node B follows without touching the backend.
      expect((await readAt(nodeA, v, 65_536, data.length)).equals(data)).to.equal(true);
      await nodeB.driver.failoverCompleted({ activeBackendId: result.activeBackendId });
      expect((await readAt(nodeB, v, 65_536, data.length)).equals(data)).to.equal(true);
      // The target is writable: new volumes land there.
      const w = newVolume(1);
      await nodeB.driver.createVolume({ volume: w });
      await writeAt(nodeB, w, 0, data);
      expect((await readAt(nodeA, w, 0, data.length)).equals(data)).to.equal(true);
      // Failing over again to the active target succeeds without change.
      expect((await nodeA.driver.failover({ secondaryId: 'sec', volumes: [v] })).activeBackendId).to.equal('sec');
    } finally {
      await admin(primary!, 'PATCH', '/api/_sim/faults', { unresponsive: false });
    }
  });
});
