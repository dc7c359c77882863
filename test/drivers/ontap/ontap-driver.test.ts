import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { DriverInstance } from '../../../core/plugins/index.js';
import { rolePrivileges } from '../../../drivers/ontap/index.js';
import { codeOf } from '../../helpers/error-code.js';
import { connect } from '../../../core/connectors/index.js';
import type { IscsiConnectionInfo } from '../../../core/contract/index.js';
import { attach, HOST, newSnapshot, newVolume, ontapInstance, readAt, writeAt } from './driver-fixture.js';
import { admin, requireTgt, startCluster, stopCluster, type SimCluster } from './simulator-fixture.js';

const GiB = 1024 ** 3;

describe('ontap driver on the ONTAP simulator (REST + real iSCSI), as the manifest\'s role', function () {
  this.timeout(300_000);
  let cluster: SimCluster | undefined;
  let ontap: DriverInstance;

  before(async function () {
    await requireTgt(this);
    cluster = await startCluster('drv');
    ontap = await ontapInstance(cluster);
  });

  after(async () => {
    await stopCluster(cluster);
  });

  it('runs as an account whose role holds exactly the manifest\'s privileges', async () => {
    expect(rolePrivileges().map((p) => p.path)).to.include.members(['/api/storage/luns', '/api/protocols/san']);
    // (The cluster's ashlar_driver role is built from rolePrivileges() in startCluster.)
    // The same account is refused what the role does not grant.
    const res = await fetch(new URL('/api/security/accounts', cluster!.url), { headers: { authorization: `Basic ${Buffer.from('ashlar:sim-driver-pw').toString('base64')}` } });
    expect(res.status).to.equal(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('6');
  });

  it('creates a LUN volume-<id> in a FlexVol, refuses a duplicate, deletes idempotently', async () => {
    const v = newVolume(2);
    const { providerLocation } = await ontap.driver.createVolume({ volume: v });
    expect(providerLocation).to.match(new RegExp(`^/vol/cinder_[ab]/volume-${v.id}$`));
    const luns = (await admin(cluster!, 'GET', `/api/storage/luns?name=${encodeURIComponent(providerLocation!)}&fields=space.size,os_type`)).body.records as { space: { size: number }; os_type: string }[];
    expect(luns[0]!.space.size).to.equal(2 * GiB);
    expect(luns[0]!.os_type).to.equal('linux');
    expect(await codeOf(ontap.driver.createVolume({ volume: v }))).to.equal('VOLUME_EXISTS');
    await ontap.driver.deleteVolume({ volume: v });
    await ontap.driver.deleteVolume({ volume: v });
    expect(await codeOf(ontap.driver.extendVolume({ volume: v, newSizeGiB: 3 }))).to.equal('VOLUME_NOT_FOUND');
  });

  it('writes and reads through real iSCSI, with one igroup per host and a LUN map', async () => {
    const v = newVolume(1);
    await ontap.driver.createVolume({ volume: v });
    const data = randomBytes(10_000);
    await writeAt(ontap, v, 123_456, data);
    expect((await readAt(ontap, v, 123_456, data.length)).equals(data)).to.equal(true);
    const conn = await attach(ontap, v);
    await conn.close();
    const groups = (await admin(cluster!, 'GET', `/api/protocols/san/igroups?initiators.name=${encodeURIComponent(HOST.initiator!)}&fields=lun_maps`)).body.records as { lun_maps: unknown[] }[];
    expect(groups).to.have.length(1);
    expect(groups[0]!.lun_maps).to.have.length(1);
    await ontap.driver.terminateConnection({ volume: v });
    const after = (await admin(cluster!, 'GET', `/api/protocols/san/lun-maps?lun.name=*volume-${v.id}`)).body.records as unknown[];
    expect(after).to.deep.equal([]);
    await ontap.driver.deleteVolume({ volume: v });
  });

  it('snapshots freeze data; clones and volumes from snapshots are independent; revert restores one LUN', async () => {
    const v = newVolume(1);
    await ontap.driver.createVolume({ volume: v });
    const first = Buffer.alloc(4096, 0x11);
    const second = Buffer.alloc(4096, 0x22);
    await writeAt(ontap, v, 0, first);
    const s = newSnapshot(v);
    await ontap.driver.createSnapshot({ snapshot: s, volume: v });
    expect(await codeOf(ontap.driver.createSnapshot({ snapshot: s, volume: v }))).to.equal('SNAPSHOT_EXISTS');
    await writeAt(ontap, v, 0, second);
    const fromSnap = newVolume(2);
    await ontap.driver.createVolumeFromSnapshot({ volume: fromSnap, snapshot: s });
    expect((await readAt(ontap, fromSnap, 0, 4096)).equals(first)).to.equal(true);
    const clone = newVolume(1);
    await ontap.driver.createClonedVolume({ volume: clone, source: v });
    expect((await readAt(ontap, clone, 0, 4096)).equals(second)).to.equal(true);
    await ontap.driver.extendVolume({ volume: v, newSizeGiB: 2 });
    await ontap.driver.revertToSnapshot({ volume: { ...v, sizeGiB: 2 }, snapshot: s });
    expect((await readAt(ontap, v, 0, 4096)).equals(first)).to.equal(true);
    const conn = await attach(ontap, v);
    expect(await conn.size()).to.equal(2 * GiB);
    await conn.close();
    // The FlexVol snapshot keeps its copy when the volume goes ("allowed").
    await ontap.driver.deleteVolume({ volume: v });
    const late = newVolume(1);
    await ontap.driver.createVolumeFromSnapshot({ volume: late, snapshot: s });
    expect((await readAt(ontap, late, 0, 4096)).equals(first)).to.equal(true);
    await ontap.driver.deleteSnapshot({ snapshot: s });
    await ontap.driver.deleteSnapshot({ snapshot: s });
    expect(await codeOf(ontap.driver.createVolumeFromSnapshot({ volume: newVolume(1), snapshot: s }))).to.equal('SNAPSHOT_NOT_FOUND');
    for (const x of [fromSnap, clone, late]) await ontap.driver.deleteVolume({ volume: x });
  });

  it('extends a volume while it is attached; the data path sees the new size', async () => {
    const v = newVolume(1);
    await ontap.driver.createVolume({ volume: v });
    const conn = await attach(ontap, v);
    await ontap.driver.extendVolume({ volume: v, newSizeGiB: 3 });
    expect(await conn.size()).to.equal(3 * GiB);
    await conn.write(3 * GiB - 512, Buffer.alloc(512, 7));
    await conn.close();
    expect(await codeOf(ontap.driver.extendVolume({ volume: { ...v, sizeGiB: 3 }, newSizeGiB: 2 }))).to.equal('INVALID_ARGUMENT');
    await ontap.driver.deleteVolume({ volume: v });
  });

  it('reports one pool per FlexVol with Cinder\'s netapp_* keys', async () => {
    const { stats } = await ontap.driver.getStats({ refresh: true });
    expect(stats.storage_protocol).to.equal('iSCSI');
    expect(stats.pools!.map((p) => p.pool_name).sort()).to.deep.equal(['cinder_a', 'cinder_b']);
    const pool = stats.pools![0] as Record<string, unknown>;
    expect(pool.netapp_thin_provisioned).to.equal('true');
    expect(pool).to.include.keys('netapp_dedup', 'netapp_compression', 'netapp_mirrored', 'netapp_raid_type', 'netapp_disk_type');
    expect(stats.total_capacity_gb).to.equal(128);
  });

  it('manages an existing LUN by path and unmanages it back', async () => {
    const created = await admin(cluster!, 'POST', '/api/storage/luns', { svm: { name: 'svm1' }, name: '/vol/cinder_b/legacy_lun', space: { size: 1536 * 1024 * 1024 }, os_type: 'linux' });
    expect(created.status).to.equal(201);
    const ref = { 'source-name': '/vol/cinder_b/legacy_lun' };
    expect((await ontap.driver.manageExistingGetSize({ existingRef: ref })).sizeGiB).to.equal(2);
    const listed = (await ontap.driver.listManageableVolumes({})).volumes.find((e) => e.reference['source-name'] === ref['source-name']);
    expect(listed?.safeToManage).to.equal(true);
    const v = { id: `m${randomBytes(4).toString('hex')}`, sizeGiB: 2 };
    await ontap.driver.manageExisting({ volume: v, existingRef: ref });
    expect(await codeOf(ontap.driver.manageExistingGetSize({ existingRef: ref }))).to.equal('MANAGE_TARGET_NOT_FOUND');
    const conn = await attach(ontap, v);
    expect(await conn.size()).to.equal(2 * GiB);
    await conn.close();
    await ontap.driver.unmanage({ volume: v });
    const after = (await ontap.driver.listManageableVolumes({})).volumes.filter((e) => e.reference['source-name'] === `/vol/cinder_b/unmanaged-${v.id}`);
    expect(after.map((e) => e.safeToManage)).to.deep.equal([true]);
  });

  it('logs hosts in with CHAP when chapSecret is set: the right secret reads and writes, a wrong or missing one is refused at login', async () => {
    const chap = await ontapInstance(cluster!, { chapSecret: 'a-chap-key-of-some-length' });
    const v = newVolume(1);
    await chap.driver.createVolume({ volume: v });
    try {
      const { connectionInfo } = await chap.driver.initializeConnection({ volume: v, connector: HOST });
      const data = (connectionInfo as IscsiConnectionInfo).data;
      expect(data.auth_method).to.equal('CHAP');
      expect(data.auth_username).to.equal(HOST.initiator);
      expect(data.auth_password).to.be.a('string').with.length(16);
      // The array holds the credentials and never answers the password back.
      const creds = (await admin(cluster!, 'GET', `/api/protocols/san/iscsi/credentials?initiator=${encodeURIComponent(HOST.initiator!)}&fields=*`)).body.records as Record<string, unknown>[];
      expect(creds.map((c) => c.authentication_type)).to.deep.equal(['chap']);
      expect(JSON.stringify(creds)).not.to.include(data.auth_password!);
      const conn = await connect(connectionInfo, { executor: chap.executor });
      const bytes = randomBytes(4096);
      await conn.write(8192, bytes);
      expect((await conn.read(8192, 4096)).equals(bytes)).to.equal(true);
      await conn.close();
      // A second attach (another instance, same config) sets the same password: the host's
      // other connections keep logging in.
      const again = (await (await ontapInstance(cluster!, { chapSecret: 'a-chap-key-of-some-length' })).driver.initializeConnection({ volume: v, connector: HOST })).connectionInfo as IscsiConnectionInfo;
      expect(again.data.auth_password).to.equal(data.auth_password);
      const wrong = { ...connectionInfo, data: { ...data, auth_password: `${data.auth_password!.slice(1)}x` } } as IscsiConnectionInfo;
      expect(await codeOf(connect(wrong, { executor: chap.executor }))).to.equal('BACKEND_UNAVAILABLE');
      const { auth_method: _m, auth_username: _u, auth_password: _p, ...without } = data;
      expect(await codeOf(connect({ ...connectionInfo, data: without } as IscsiConnectionInfo, { executor: chap.executor }))).to.equal('BACKEND_UNAVAILABLE');
    } finally {
      await chap.driver.terminateConnection({ volume: v, connector: HOST });
      await chap.driver.deleteVolume({ volume: v });
      // The other tests attach without CHAP (tgt asks every initiator of a target for CHAP once one has it).
      const svm = ((await admin(cluster!, 'GET', '/api/svm/svms?name=svm1')).body.records as { uuid: string }[])[0]!.uuid;
      await admin(cluster!, 'DELETE', `/api/protocols/san/iscsi/credentials/${svm}/${encodeURIComponent(HOST.initiator!)}`);
    }
  });

  it('answers BACKEND_UNAVAILABLE when the cluster stops answering, and works again after', async () => {
    const quick = await ontapInstance(cluster!, { requestTimeoutMs: 1500 });
    await admin(cluster!, 'PATCH', '/api/_sim/faults', { unresponsive: true });
    try {
      expect(await codeOf(quick.driver.createVolume({ volume: newVolume(1) }))).to.equal('BACKEND_UNAVAILABLE');
    } finally {
      await admin(cluster!, 'PATCH', '/api/_sim/faults', { unresponsive: false });
    }
    await admin(cluster!, 'PATCH', '/api/_sim/faults', { jobFailureRate: 1 });
    try {
      const v = newVolume(1);
      await quick.driver.createVolume({ volume: v });
      expect(await codeOf(quick.driver.createSnapshot({ snapshot: newSnapshot(v), volume: v }))).to.equal('BACKEND_ERROR');
      await quick.driver.deleteVolume({ volume: v });
    } finally {
      await admin(cluster!, 'PATCH', '/api/_sim/faults', { jobFailureRate: 0 });
    }
  });
});
