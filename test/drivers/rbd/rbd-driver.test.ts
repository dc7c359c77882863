import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DriverSnapshot } from '../../../core/contract/index.js';
import type { DriverInstance } from '../../../core/plugins/index.js';
import { coreValidator } from '../../../core/validation/schema-registry.js';
import { backstop, scaledMs } from '../../helpers/budget.js';
import { codeOf } from '../../helpers/error-code.js';
import { admin, requireCeph, startCluster, stopCluster, type TestCluster } from './ceph-cluster.js';
import { attach, images, newVolume, parentOf, rbdInstance, readAt, trash, writeAt } from './rbd-fixture.js';

const GiB = 1024 ** 3;

const snapshotOf = (volumeId: string, sizeGiB = 1): DriverSnapshot => ({ id: `s${randomBytes(5).toString('hex')}`, volumeId, sizeGiB });

describe('rbd driver on a throwaway Ceph cluster', function () {
  backstop(this, 180_000);
  let cluster: TestCluster | undefined;
  let rbd: DriverInstance;

  before(async function () {
    await requireCeph(this);
    cluster = await startCluster();
    rbd = await rbdInstance(cluster);
  });

  after(async () => {
    await stopCluster(cluster);
  });

  const c = (): TestCluster => cluster!;

  describe('volumes', () => {
    it('creates a volume as image volume-<id> of the requested size and deletes it idempotently', async () => {
      const v = newVolume(2);
      const { providerLocation } = await rbd.driver.createVolume({ volume: v });
      expect(providerLocation).to.equal(`rbd/volume-${v.id}`);
      const info = JSON.parse(await admin(c(), 'rbd', ['info', '--format', 'json', `rbd/volume-${v.id}`])) as { size: number };
      expect(info.size).to.equal(2 * GiB);
      expect(await codeOf(rbd.driver.createVolume({ volume: v }))).to.equal('VOLUME_EXISTS');
      await rbd.driver.deleteVolume({ volume: v });
      await rbd.driver.deleteVolume({ volume: v });
      expect(await images(c())).not.to.include(`volume-${v.id}`);
    });

    it('extends, treats the current size as a no-op, and refuses to shrink or extend what is missing', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      await rbd.driver.extendVolume({ volume: v, newSizeGiB: 1 });
      await rbd.driver.extendVolume({ volume: v, newSizeGiB: 3 });
      const conn = await attach(rbd, v);
      expect(await conn.size()).to.equal(3 * GiB);
      expect(await codeOf(rbd.driver.raw.extendVolume({ volume: { ...v, sizeGiB: 3 }, newSizeGiB: 2, signal: AbortSignal.timeout(60_000) }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(rbd.driver.extendVolume({ volume: newVolume(1), newSizeGiB: 2 }))).to.equal('VOLUME_NOT_FOUND');
      await rbd.driver.deleteVolume({ volume: v });
    });

    it('rejects hostile ids before they reach a command line', async () => {
      const signal = AbortSignal.timeout(10_000);
      for (const id of ['a/b', '--pool=x', 'x y', 'a@b', '', 'é']) {
        expect(await codeOf(rbd.driver.raw.createVolume({ volume: { id, sizeGiB: 1 }, signal }))).to.equal('INVALID_ARGUMENT');
        expect(await codeOf(rbd.driver.raw.deleteVolume({ volume: { id, sizeGiB: 1 }, signal }))).to.equal('INVALID_ARGUMENT');
      }
      expect(await codeOf(rbd.driver.raw.createSnapshot!({ volume: newVolume(), snapshot: { id: '../x', volumeId: 'v', sizeGiB: 1 }, signal }))).to.equal('INVALID_ARGUMENT');
    });

    it('creates multiattach volumes with layering only (no exclusive-lock)', async () => {
      const v = newVolume(1, { multiattach: true });
      await rbd.driver.createVolume({ volume: v });
      const info = JSON.parse(await admin(c(), 'rbd', ['info', '--format', 'json', `rbd/volume-${v.id}`])) as { features: string[] };
      expect(info.features).to.deep.equal(['layering']);
      await rbd.driver.deleteVolume({ volume: v });
    });
  });

  describe('connection and data path', () => {
    it('returns schema-valid rbd connection info naming the cluster\'s monitor', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const { connectionInfo } = await rbd.driver.initializeConnection({ volume: v, connector: { host: 'h1' } });
      expect(coreValidator('connection-info')(connectionInfo)).to.equal(true);
      expect(connectionInfo.driver_volume_type).to.equal('rbd');
      const data = connectionInfo.data as { name: string; hosts: string[]; ports: string[] };
      expect(data.name).to.equal(`rbd/volume-${v.id}`);
      const port = (await import('node:fs/promises')).readFile(path.join(c().dir, 'port'), 'utf8');
      expect(data.hosts).to.deep.equal(['127.0.0.1']);
      expect(data.ports).to.deep.equal([(await port).trim()]);
      // Repeatable, and terminate is idempotent with or without a connector.
      await rbd.driver.initializeConnection({ volume: v, connector: { host: 'h1' } });
      await rbd.driver.terminateConnection({ volume: v, connector: { host: 'h1' } });
      await rbd.driver.terminateConnection({ volume: v });
      expect(await codeOf(rbd.driver.initializeConnection({ volume: newVolume(), connector: { host: 'h1' } }))).to.equal('VOLUME_NOT_FOUND');
      await rbd.driver.deleteVolume({ volume: v });
    });

    it('writes and reads arbitrary byte ranges, reading zeros where nothing was written', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const conn = await attach(rbd, v);
      const a = randomBytes(70_000);
      const b = randomBytes(333);
      await conn.write(4 * 1024 * 1024 - 1000, a); // spans an object boundary
      await conn.write(GiB - b.length, b); // the last bytes
      expect((await conn.read(4 * 1024 * 1024 - 1000, a.length)).equals(a)).to.equal(true);
      expect((await conn.read(GiB - b.length, b.length)).equals(b)).to.equal(true);
      expect((await conn.read(12345, 5000)).equals(Buffer.alloc(5000))).to.equal(true);
      expect((await conn.read(GiB - 10, 100)).length).to.equal(10);
      expect((await conn.read(GiB + 10, 100)).length).to.equal(0);
      expect(await codeOf(conn.write(GiB - 1, Buffer.alloc(2)))).to.equal('INVALID_ARGUMENT');
      await conn.close();
      await rbd.driver.deleteVolume({ volume: v });
    });

    it('refuses a connector context without the driver\'s executor', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const { connectionInfo } = await rbd.driver.initializeConnection({ volume: v, connector: { host: 'h' } });
      const { connect } = await import('../../../core/connectors/index.js');
      expect(await codeOf(connect(connectionInfo, {}))).to.equal('INVALID_ARGUMENT');
      await rbd.driver.deleteVolume({ volume: v });
    });
  });

  describe('snapshots, volumes from snapshots and revert', () => {
    it('keeps snapshot data isolated from later writes and builds larger volumes from it', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const before = randomBytes(8192);
      await writeAt(rbd, v, 0, before);
      const s = snapshotOf(v.id);
      await rbd.driver.createSnapshot({ snapshot: s, volume: v });
      expect(await codeOf(rbd.driver.createSnapshot({ snapshot: s, volume: v }))).to.equal('SNAPSHOT_EXISTS');
      expect(await codeOf(rbd.driver.createSnapshot({ snapshot: snapshotOf('nope'), volume: newVolume() }))).to.equal('VOLUME_NOT_FOUND');
      await writeAt(rbd, v, 0, randomBytes(8192));

      const fromSnap = newVolume(2);
      await rbd.driver.createVolumeFromSnapshot({ volume: fromSnap, snapshot: s });
      expect((await readAt(rbd, fromSnap, 0, 8192)).equals(before)).to.equal(true);
      expect((await readAt(rbd, fromSnap, 2 * GiB - 4096, 4096)).equals(Buffer.alloc(4096))).to.equal(true);
      expect(await codeOf(rbd.driver.createVolumeFromSnapshot({ volume: newVolume(1), snapshot: snapshotOf(v.id) }))).to.equal('SNAPSHOT_NOT_FOUND');
      expect(await codeOf(rbd.driver.createVolumeFromSnapshot({ volume: fromSnap, snapshot: s }))).to.equal('VOLUME_EXISTS');

      // deleteVolumeWithSnapshots: "busy"
      expect(await codeOf(rbd.driver.deleteVolume({ volume: v }))).to.equal('VOLUME_BUSY');
      // The snapshot has a clone, yet deleting it succeeds and the clone keeps its data.
      await rbd.driver.deleteSnapshot({ snapshot: s });
      await rbd.driver.deleteSnapshot({ snapshot: s });
      expect((await readAt(rbd, fromSnap, 0, 8192)).equals(before)).to.equal(true);
      await rbd.driver.deleteVolume({ volume: v });
      expect((await readAt(rbd, fromSnap, 0, 8192)).equals(before)).to.equal(true);
      await rbd.driver.deleteVolume({ volume: fromSnap });
      expect(await trash(c())).to.deep.equal([]);
    });

    it('reverts to a snapshot, keeping the volume\'s larger size, and checks ownership', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const old = randomBytes(4096);
      await writeAt(rbd, v, 0, old);
      const s = snapshotOf(v.id);
      await rbd.driver.createSnapshot({ snapshot: s, volume: v });
      await writeAt(rbd, v, 0, randomBytes(4096));
      await rbd.driver.extendVolume({ volume: v, newSizeGiB: 2 });
      await writeAt(rbd, v, GiB + 5, Buffer.from('tail'));
      const grown = { ...v, sizeGiB: 2 };
      await rbd.driver.revertToSnapshot({ volume: grown, snapshot: s });
      const conn = await attach(rbd, grown);
      expect(await conn.size()).to.equal(2 * GiB);
      expect((await conn.read(0, 4096)).equals(old)).to.equal(true);
      expect((await conn.read(GiB + 5, 4)).equals(Buffer.alloc(4))).to.equal(true);
      await rbd.driver.revertToSnapshot({ volume: grown, snapshot: s });
      expect((await conn.read(0, 4096)).equals(old)).to.equal(true);
      expect(await codeOf(rbd.driver.revertToSnapshot({ volume: grown, snapshot: { ...s, volumeId: 'other' } }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(rbd.driver.revertToSnapshot({ volume: grown, snapshot: snapshotOf(v.id) }))).to.equal('SNAPSHOT_NOT_FOUND');
      expect(await codeOf(rbd.driver.revertToSnapshot({ volume: newVolume(), snapshot: snapshotOf('x') }))).to.equal('INVALID_ARGUMENT');
      await rbd.driver.deleteSnapshot({ snapshot: s });
      await rbd.driver.deleteVolume({ volume: v });
    });

    it('maps a protected snapshot (made outside Ashlar) to SNAPSHOT_BUSY', async () => {
      const v = newVolume(1);
      await rbd.driver.createVolume({ volume: v });
      const s = snapshotOf(v.id);
      await rbd.driver.createSnapshot({ snapshot: s, volume: v });
      await admin(c(), 'rbd', ['snap', 'protect', `rbd/volume-${v.id}@snapshot-${s.id}`]);
      expect(await codeOf(rbd.driver.deleteSnapshot({ snapshot: s }))).to.equal('SNAPSHOT_BUSY');
      await admin(c(), 'rbd', ['snap', 'unprotect', `rbd/volume-${v.id}@snapshot-${s.id}`]);
      await rbd.driver.deleteSnapshot({ snapshot: s });
      await rbd.driver.deleteVolume({ volume: v });
    });
  });

  describe('clones', () => {
    it('deletes a source that has clones without VOLUME_BUSY (the Cinder ImageBusy bug) and purges it with its last clone', async () => {
      const src = newVolume(1);
      await rbd.driver.createVolume({ volume: src });
      const data = randomBytes(10_000);
      await writeAt(rbd, src, 1000, data);
      const c1 = newVolume(1);
      const c2 = newVolume(2);
      await rbd.driver.createClonedVolume({ volume: c1, source: src });
      await rbd.driver.createClonedVolume({ volume: c2, source: src });
      expect((await parentOf(c(), `volume-${c1.id}`))?.image).to.equal(`volume-${src.id}`);
      // No clone snapshot stays visible on the source: it lives in the trash namespace.
      const snaps = JSON.parse(await admin(c(), 'rbd', ['snap', 'ls', '--format', 'json', `rbd/volume-${src.id}`])) as unknown[];
      expect(snaps).to.deep.equal([]);
      expect(await codeOf(rbd.driver.createClonedVolume({ volume: c1, source: src }))).to.equal('VOLUME_EXISTS');
      expect(await codeOf(rbd.driver.createClonedVolume({ volume: newVolume(), source: newVolume() }))).to.equal('VOLUME_NOT_FOUND');

      await writeAt(rbd, src, 1000, randomBytes(10_000));
      expect((await readAt(rbd, c1, 1000, data.length)).equals(data)).to.equal(true);
      await writeAt(rbd, c1, 0, Buffer.from('c1 only'));
      expect((await readAt(rbd, c2, 0, 7)).equals(Buffer.alloc(7))).to.equal(true);

      await rbd.driver.deleteVolume({ volume: src });
      expect(await images(c())).not.to.include(`volume-${src.id}`);
      expect((await trash(c())).map((t) => t.name)).to.deep.equal([`volume-${src.id}`]);
      expect((await readAt(rbd, c2, 1000, data.length)).equals(data)).to.equal(true);
      await rbd.driver.deleteVolume({ volume: src }); // idempotent while trashed
      await rbd.driver.deleteVolume({ volume: c1 });
      expect((await trash(c())).length).to.equal(1);
      await rbd.driver.deleteVolume({ volume: c2 });
      expect(await trash(c())).to.deep.equal([]);
    });

    it('purges a whole trashed chain when its last leaf goes', async () => {
      const a = newVolume(1);
      await rbd.driver.createVolume({ volume: a });
      await writeAt(rbd, a, 0, Buffer.from('chain'));
      const b = newVolume(1);
      const leaf = newVolume(1);
      await rbd.driver.createClonedVolume({ volume: b, source: a });
      await rbd.driver.createClonedVolume({ volume: leaf, source: b });
      await rbd.driver.deleteVolume({ volume: a });
      await rbd.driver.deleteVolume({ volume: b });
      expect((await trash(c())).length).to.equal(2);
      expect((await readAt(rbd, leaf, 0, 5)).toString()).to.equal('chain');
      await rbd.driver.deleteVolume({ volume: leaf });
      expect(await trash(c())).to.deep.equal([]);
    });

    it('flattens a clone whose chain would pass maxCloneDepth', async () => {
      const shallow = await rbdInstance(c(), { maxCloneDepth: 2 });
      const root = newVolume(1);
      await shallow.driver.createVolume({ volume: root });
      await writeAt(shallow, root, 0, Buffer.from('deep'));
      const chain = [root];
      for (let i = 0; i < 3; i += 1) {
        const next = newVolume(1);
        await shallow.driver.createClonedVolume({ volume: next, source: chain.at(-1)! });
        chain.push(next);
      }
      expect(await parentOf(c(), `volume-${chain[1]!.id}`)).to.not.equal(undefined);
      expect(await parentOf(c(), `volume-${chain[2]!.id}`)).to.not.equal(undefined);
      expect(await parentOf(c(), `volume-${chain[3]!.id}`)).to.equal(undefined); // depth 3 > 2
      expect((await readAt(shallow, chain[3]!, 0, 4)).toString()).to.equal('deep');
      for (const v of chain) await shallow.driver.deleteVolume({ volume: v });
      expect(await trash(c())).to.deep.equal([]);
    });

    it('with flattenOnDelete, flattens the clones and removes the source at once', async () => {
      const eager = await rbdInstance(c(), { flattenOnDelete: true });
      const src = newVolume(1);
      await eager.driver.createVolume({ volume: src });
      await writeAt(eager, src, 0, Buffer.from('eager'));
      const clone = newVolume(1);
      await eager.driver.createClonedVolume({ volume: clone, source: src });
      await eager.driver.deleteVolume({ volume: src });
      expect(await trash(c())).to.deep.equal([]);
      expect(await parentOf(c(), `volume-${clone.id}`)).to.equal(undefined);
      expect((await readAt(eager, clone, 0, 5)).toString()).to.equal('eager');
      await eager.driver.deleteVolume({ volume: clone });
    });

    it('clones one source in parallel, each clone holding the source\'s data', async () => {
      const src = newVolume(1);
      await rbd.driver.createVolume({ volume: src });
      const data = randomBytes(4096);
      await writeAt(rbd, src, 0, data);
      const clones = Array.from({ length: 4 }, () => newVolume(1));
      await Promise.all(clones.map((v) => rbd.driver.createClonedVolume({ volume: v, source: src })));
      for (const v of clones) expect((await readAt(rbd, v, 0, 4096)).equals(data)).to.equal(true);
      await rbd.driver.deleteVolume({ volume: src });
      await Promise.all(clones.map((v) => rbd.driver.deleteVolume({ volume: v })));
      expect(await trash(c())).to.deep.equal([]);
    });

    it('removes a clone snapshot a crashed clone left behind when the source is deleted', async () => {
      const src = newVolume(1);
      await rbd.driver.createVolume({ volume: src });
      await admin(c(), 'rbd', ['snap', 'create', `rbd/volume-${src.id}@clone-crashed`]);
      await rbd.driver.deleteVolume({ volume: src });
      expect(await images(c())).not.to.include(`volume-${src.id}`);
    });
  });

  describe('active-active and restart', () => {
    it('lets a second instance (another node) see and delete what the first created', async () => {
      const other = await rbdInstance(c());
      const src = newVolume(1);
      await rbd.driver.createVolume({ volume: src });
      const clone = newVolume(1);
      await other.driver.createClonedVolume({ volume: clone, source: src });
      await other.driver.deleteVolume({ volume: src });
      await rbd.driver.deleteVolume({ volume: clone });
      expect(await trash(c())).to.deep.equal([]);
      expect(await images(c())).not.to.include.members([`volume-${src.id}`, `volume-${clone.id}`]);
    });

    it('purges a trashed volume image left by a crash at the next setup', async () => {
      const src = newVolume(1);
      await rbd.driver.createVolume({ volume: src });
      const clone = newVolume(1);
      await rbd.driver.createClonedVolume({ volume: clone, source: src });
      await rbd.driver.deleteVolume({ volume: src });
      // Simulate a crash between removing the last clone and purging: remove it behind the driver's back.
      await admin(c(), 'rbd', ['rm', `rbd/volume-${clone.id}`]);
      expect((await trash(c())).length).to.equal(1);
      await rbdInstance(c());
      expect(await trash(c())).to.deep.equal([]);
    });
  });

  describe('manage and unmanage', () => {
    it('lists, adopts and lets go of existing images', async () => {
      const legacy = `legacy-${randomBytes(4).toString('hex')}`;
      const before = randomBytes(10 * 1024 * 1024 + 7);
      const file = path.join(c().dir, 'legacy.bin');
      await writeFile(file, before);
      await admin(c(), 'rbd', ['import', '--no-progress', file, `rbd/${legacy}`]);
      const managedId = newVolume(1).id;
      const listed = await rbd.driver.listManageableVolumes({});
      const entry = listed.volumes.find((e) => e.reference['source-name'] === legacy);
      expect(entry).to.deep.include({ safeToManage: true, sizeGiB: 1 });
      const names = listed.volumes.map((e) => e.reference['source-name']!);
      expect(names).to.deep.equal([...names].sort());

      expect(await rbd.driver.manageExistingGetSize({ existingRef: { 'source-name': legacy } })).to.deep.equal({ sizeGiB: 1 });
      expect(await codeOf(rbd.driver.manageExistingGetSize({ existingRef: { 'source-name': 'no-such-image' } }))).to.equal('MANAGE_TARGET_NOT_FOUND');
      expect(await codeOf(rbd.driver.manageExistingGetSize({ existingRef: { 'source-name': 'a/b' } }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(rbd.driver.manageExistingGetSize({ existingRef: {} }))).to.equal('INVALID_ARGUMENT');

      const volume = { id: managedId, sizeGiB: 1 };
      await rbd.driver.manageExisting({ volume, existingRef: { 'source-name': legacy } });
      expect(await images(c())).to.include(`volume-${managedId}`);
      expect((await readAt(rbd, volume, 0, before.length)).equals(before)).to.equal(true);
      expect((await attach(rbd, volume).then((cn) => cn.size()))).to.equal(GiB);
      const again = (await rbd.driver.listManageableVolumes({})).volumes.find((e) => e.reference['source-name'] === `volume-${managedId}`);
      expect(again).to.deep.include({ safeToManage: false, cinderId: managedId });
      expect(await codeOf(rbd.driver.manageExistingGetSize({ existingRef: { 'source-name': `volume-${managedId}` } }))).to.equal('MANAGE_TARGET_NOT_FOUND');

      await rbd.driver.unmanage({ volume });
      await rbd.driver.unmanage({ volume });
      expect(await images(c())).to.include(`unmanaged-${managedId}`);
      expect(await images(c())).not.to.include(`volume-${managedId}`);
      await admin(c(), 'rbd', ['rm', `rbd/unmanaged-${managedId}`]);
    });

    it('pages the manageable list with marker and limit', async () => {
      const all = (await rbd.driver.listManageableVolumes({})).volumes;
      const first = await rbd.driver.listManageableVolumes({ limit: 1 });
      expect(first.volumes).to.have.length(Math.min(1, all.length));
      if (all.length > 1) {
        const rest = await rbd.driver.listManageableVolumes({ marker: first.volumes[0]!.reference['source-name'] });
        expect(rest.volumes.length).to.equal(all.length - 1);
      }
    });
  });

  describe('stats', () => {
    it('reports schema-valid stats with exact provisioned capacity and the cluster fsid', async () => {
      const before = (await rbd.driver.getStats({ refresh: true })).stats;
      const v = newVolume(3);
      await rbd.driver.createVolume({ volume: v });
      const after = (await rbd.driver.getStats({ refresh: true })).stats;
      expect(after.provisioned_capacity_gb).to.equal((before.provisioned_capacity_gb ?? 0) + 3);
      expect(after.total_capacity_gb).to.be.a('number').greaterThan(1);
      expect(after.thin_provisioning_support).to.equal(true);
      const fsid = (await (await import('node:fs/promises')).readFile(path.join(c().dir, 'fsid'), 'utf8')).trim();
      expect(after.location_info).to.equal(`rbd:${fsid}:rbd`);
      await rbd.driver.deleteVolume({ volume: v });
    });
  });

  describe('errors from the cluster', () => {
    it('reports a pool that does not exist as CONFIG_INVALID at setup', async () => {
      expect(await codeOf(rbdInstance(c(), { pool: 'nopool' }))).to.equal('CONFIG_INVALID');
    });

    it('reports an unreachable cluster as BACKEND_UNAVAILABLE within the command timeout', async () => {
      const conf = path.join(c().dir, 'unreachable.conf');
      await writeFile(conf, '[global]\nmon host = 127.0.0.1:1\nauth client required = none\n');
      // The driver gives librados half the command limit to reach a monitor, so a clear
      // BACKEND_UNAVAILABLE (not the executor's TIMEOUT kill) shows it gave up in time.
      expect(await codeOf(rbdInstance(c(), { cephConf: conf, commandTimeoutMs: scaledMs(4000) }))).to.equal('BACKEND_UNAVAILABLE');
    });
  });
});
