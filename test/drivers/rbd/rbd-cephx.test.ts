import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { rbdManifest } from '../../../drivers/rbd/manifest.js';
import type { DriverInstance } from '../../../core/plugins/index.js';
import { codeOf } from '../../helpers/error-code.js';
import { addUser, admin, requireCeph, startCluster, stopCluster, type TestCluster } from './ceph-cluster.js';
import { images, newVolume, rbdInstance, readAt, trash, writeAt } from './rbd-fixture.js';
import { backstop } from '../../helpers/budget.js';

/** The manifest's Ceph grants as add-user.sh arguments (TYPE SPEC pairs) for `pool`. */
function manifestCaps(pool: string): string[] {
  const caps: string[] = [];
  for (const p of rbdManifest.backendPermissions ?? []) {
    if (p.system !== 'ceph') continue;
    const m = /^(\w+) '([^']+)'$/.exec(p.grant);
    if (!m) throw new Error(`cannot parse grant ${p.grant}`);
    caps.push(m[1]!, m[2]!.replace('<pool>', pool));
  }
  return caps;
}

describe('rbd driver as a cephx user holding exactly the manifest\'s caps', function () {
  backstop(this, 180_000);
  let cluster: TestCluster | undefined;
  let rbd: DriverInstance;
  let keyring: string;

  before(async function () {
    await requireCeph(this);
    cluster = await startCluster({ cephx: true });
    keyring = await addUser(cluster, 'client.ashlar-driver', manifestCaps('rbd'));
    rbd = await rbdInstance(cluster, { clientId: 'ashlar-driver', keyring });
  });

  after(async () => {
    await stopCluster(cluster);
  });

  it('the user has the manifest\'s caps and nothing more', async () => {
    const out = JSON.parse(await admin(cluster!, 'ceph', ['auth', 'get', 'client.ashlar-driver', '--format', 'json'])) as { caps: Record<string, string> }[];
    expect(out[0]!.caps).to.deep.equal({ mon: 'profile rbd', osd: 'profile rbd pool=rbd' });
    expect(manifestCaps('rbd')).to.deep.equal(['mon', 'profile rbd', 'osd', 'profile rbd pool=rbd']);
  });

  it('runs the whole lifecycle: setup, stats, volumes, data, snapshots, clones, revert, manage, delete', async () => {
    const stats = (await rbd.driver.getStats({ refresh: true })).stats;
    expect(stats.location_info).to.match(/^rbd:[0-9a-f-]+:rbd$/);

    const src = newVolume(1);
    await rbd.driver.createVolume({ volume: src });
    await rbd.driver.extendVolume({ volume: src, newSizeGiB: 2 });
    const grown = { ...src, sizeGiB: 2 };
    const data = randomBytes(6000);
    await writeAt(rbd, grown, 100, data);
    expect((await readAt(rbd, grown, 100, data.length)).equals(data)).to.equal(true);

    const snap = { id: `s${randomBytes(4).toString('hex')}`, volumeId: src.id, sizeGiB: 2 };
    await rbd.driver.createSnapshot({ snapshot: snap, volume: grown });
    await writeAt(rbd, grown, 100, randomBytes(6000));
    const fromSnap = newVolume(2);
    await rbd.driver.createVolumeFromSnapshot({ volume: fromSnap, snapshot: snap });
    expect((await readAt(rbd, fromSnap, 100, data.length)).equals(data)).to.equal(true);
    await rbd.driver.revertToSnapshot({ volume: grown, snapshot: snap });
    expect((await readAt(rbd, grown, 100, data.length)).equals(data)).to.equal(true);

    const clone = newVolume(3);
    await rbd.driver.createClonedVolume({ volume: clone, source: grown });
    expect(await codeOf(rbd.driver.deleteVolume({ volume: grown }))).to.equal('VOLUME_BUSY'); // its snapshot
    await rbd.driver.deleteSnapshot({ snapshot: snap });
    await rbd.driver.deleteVolume({ volume: grown }); // has clones: trashed, never busy
    expect((await readAt(rbd, clone, 100, data.length)).equals(data)).to.equal(true);

    const legacy = `legacy-${randomBytes(3).toString('hex')}`;
    await admin(cluster!, 'rbd', ['create', '--size', '100M', `rbd/${legacy}`]);
    const listed = await rbd.driver.listManageableVolumes({});
    expect(listed.volumes.some((v) => v.reference['source-name'] === legacy && v.safeToManage)).to.equal(true);
    const managed = newVolume(1);
    await rbd.driver.manageExisting({ volume: managed, existingRef: { 'source-name': legacy } });
    await rbd.driver.unmanage({ volume: managed });
    await admin(cluster!, 'rbd', ['rm', `rbd/unmanaged-${managed.id}`]);

    await rbd.driver.deleteVolume({ volume: clone });
    await rbd.driver.deleteVolume({ volume: fromSnap });
    expect(await trash(cluster!)).to.deep.equal([]);
    expect((await images(cluster!)).filter((n) => n.startsWith('volume-'))).to.deep.equal([]);
  });

  it('fails with a coded permission error when the caps are short of the manifest\'s', async () => {
    const shortKeyring = await addUser(cluster!, 'client.ashlar-short', ['mon', 'profile rbd']);
    const short = await rbdInstance(cluster!, { clientId: 'ashlar-short', keyring: shortKeyring }).catch((err: unknown) => err);
    expect(await codeOf(Promise.reject(short))).to.equal('BACKEND_ERROR');
  });
});
