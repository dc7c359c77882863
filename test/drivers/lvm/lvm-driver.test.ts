import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { connect, type VolumeConnection } from '../../../core/connectors/index.js';
import type { RuntimeDriver } from '../../../core/contract/runtime-driver.js';
import type { CommandTransport } from '../../../core/executor/transport.js';
import { coreValidator } from '../../../core/validation/schema-registry.js';
import { instantiateDriver, type DriverInstance } from '../../../core/plugins/index.js';
import type { LvmDriver } from '../../../drivers/lvm/lvm-driver.js';
import { requireBackend } from '../../helpers/backend-required.js';
import { backstop, scaledMs } from '../../helpers/budget.js';
import { codeOf } from '../../helpers/error-code.js';
import { startLvmHost, type LvmHost } from './lvm-host-fixture.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const connector = { host: 'test' };

type Mode = 'default' | 'thin';

describe('lvm driver on real lvm2 + device-mapper (UML test host)', function () {
  // Backstop only: each command has its own limit, scaled by the transport.
  backstop(this, 180_000);
  let host: LvmHost | undefined;

  before(async function () {
    const started = await startLvmHost({ diskSize: '16G' });
    if ('unavailable' in started) {
      requireBackend(this, false, `the UML LVM test host (${started.unavailable})`);
      return;
    }
    host = started;
  });

  after(async () => {
    await host?.stop();
  });

  /** Runs a command on the host directly (not through the driver), for setup and checks. */
  const onHost = async (argv: string[]): Promise<string> => {
    const r = await host!.transport.run(argv, { timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.toString()}`);
    return r.stdout.toString();
  };

  for (const mode of ['thin', 'default'] as const) describe(`lvmType ${mode}`, () => modeSuite(mode));

  function modeSuite(mode: Mode): void {
    const thin = mode === 'thin';
    let inst: DriverInstance;
    let d: RuntimeDriver;

    const make = async (extra: Record<string, unknown> = {}): Promise<DriverInstance> =>
      instantiateDriver(await loadDriverPlugin('lvm'), {
        config: { volumeGroup: 'ashlar', lvmType: mode, thinPoolSizePercent: 50, ...extra },
        transport: host!.transport,
        // The runtime wrapper's per-call limit (default 300 s wall clock), scaled to the machine.
        timeoutMs: scaledMs(300_000),
      });

    before(async function () {
      if (!host) this.skip();
      inst = await make();
      d = inst.driver;
    });

    afterEach(async () => {
      // Leave the VG empty for the next test, whatever failed: through the driver where it
      // can (so thick extents are cleared as in production), directly for foreign LVs.
      const names = async (): Promise<string[]> => (await onHost(['lvs', '--noheadings', '-o', 'lv_name', 'ashlar'])).split('\n').map((l) => l.trim()).filter(Boolean);
      for (const lv of await names()) {
        if (lv.startsWith('_snapshot-')) await d.deleteSnapshot({ snapshot: snap(lv.slice('_snapshot-'.length), 'any') });
      }
      for (const lv of await names()) {
        if (lv.startsWith('volume-')) await d.deleteVolume({ volume: vol(lv.slice('volume-'.length)) });
        else if (lv !== 'ashlar-pool') await onHost(['lvremove', '-y', `ashlar/${lv}`]);
      }
    });

    const vol = (id: string, sizeGiB = 1) => ({ id, sizeGiB });
    const snap = (id: string, volumeId: string, sizeGiB = 1) => ({ id, volumeId, sizeGiB });
    const create = async (id: string, sizeGiB = 1): Promise<void> => {
      await d.createVolume({ volume: vol(id, sizeGiB) });
    };
    const open = async (id: string, sizeGiB = 1): Promise<VolumeConnection> => {
      const { connectionInfo } = await d.initializeConnection({ volume: vol(id, sizeGiB), connector });
      expect(connectionInfo.driver_volume_type).to.equal('host_device');
      return connect(connectionInfo, { executor: inst.executor });
    };
    const write = async (id: string, offset: number, data: Buffer): Promise<void> => (await open(id)).write(offset, data);
    const read = async (id: string, offset: number, length: number): Promise<Buffer> => (await open(id)).read(offset, length);

    it('checks setup, and reports schema-valid stats for its mode', async () => {
      const { stats } = await d.getStats({ refresh: true });
      expect(coreValidator('backend-stats')(stats)).to.equal(true);
      expect(stats.thin_provisioning_support).to.equal(thin);
      expect(stats.thick_provisioning_support).to.equal(!thin);
      expect(stats.free_capacity_gb as number).to.be.at.most(stats.total_capacity_gb as number);
      if (thin) expect(stats.thin_pool_name).to.equal('ashlar-pool');
      else expect(stats.total_capacity_gb as number).to.be.within(15.9, 16);
    });

    it('creates a volume that reads as zeros, with host_device connection info', async () => {
      await create('v1');
      const { connectionInfo } = await d.initializeConnection({ volume: vol('v1'), connector });
      expect(connectionInfo).to.deep.include({ driver_volume_type: 'host_device' });
      expect(connectionInfo.data).to.include({ device_path: '/dev/ashlar/volume-v1', transport: host!.transport.description });
      const conn = await open('v1');
      expect(await conn.size()).to.equal(GiB);
      expect((await conn.read(0, MiB)).equals(Buffer.alloc(MiB))).to.equal(true);
      expect(await codeOf(d.createVolume({ volume: vol('v1') }))).to.equal('VOLUME_EXISTS');
      await d.terminateConnection({ volume: vol('v1'), connector });
    });

    it('moves data intact through the connector at unaligned offsets, reading short past the end', async () => {
      await create('io');
      const data = randomBytes(3 * MiB + 7);
      await write('io', 12_345, data);
      expect((await read('io', 12_345, data.length)).equals(data)).to.equal(true);
      expect((await read('io', GiB - 10, 100)).length).to.equal(10);
      expect(await codeOf(write('io', GiB - 2, Buffer.from('abc')))).to.equal('INVALID_ARGUMENT');
    });

    it('deletes idempotently and refuses to delete a volume with snapshots (VOLUME_BUSY)', async () => {
      await create('del');
      await d.createSnapshot({ snapshot: snap('dels', 'del'), volume: vol('del') });
      expect(await codeOf(d.deleteVolume({ volume: vol('del') }))).to.equal('VOLUME_BUSY');
      await d.deleteSnapshot({ snapshot: snap('dels', 'del') });
      await d.deleteSnapshot({ snapshot: snap('dels', 'del') });
      await d.deleteVolume({ volume: vol('del') });
      await d.deleteVolume({ volume: vol('del') });
      expect(await codeOf(d.initializeConnection({ volume: vol('del'), connector }))).to.equal('VOLUME_NOT_FOUND');
    });

    it('extends keeping data (also an origin with snapshots), refuses to shrink, reports a missing volume', async () => {
      await create('ext');
      const data = randomBytes(4096);
      await write('ext', 0, data);
      await d.createSnapshot({ snapshot: snap('exts', 'ext'), volume: vol('ext') });
      await d.extendVolume({ volume: vol('ext'), newSizeGiB: 2 });
      await d.extendVolume({ volume: vol('ext', 2), newSizeGiB: 2 });
      const conn = await open('ext', 2);
      expect(await conn.size()).to.equal(2 * GiB);
      expect((await conn.read(0, 4096)).equals(data)).to.equal(true);
      expect(await codeOf(d.extendVolume({ volume: vol('ext', 2), newSizeGiB: 1 }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(d.extendVolume({ volume: vol('nope'), newSizeGiB: 2 }))).to.equal('VOLUME_NOT_FOUND');
      // The snapshot still shows the old contents at the old size.
      await d.createVolumeFromSnapshot({ volume: vol('ext-copy'), snapshot: snap('exts', 'ext') });
      expect((await read('ext-copy', 0, 4096)).equals(data)).to.equal(true);
    });

    it('isolates snapshots, volumes from snapshots and clones from their sources in both directions', async () => {
      await create('src');
      const a = randomBytes(8192);
      const b = randomBytes(8192);
      await write('src', MiB, a);
      await d.createSnapshot({ snapshot: snap('s1', 'src'), volume: vol('src') });
      expect(await codeOf(d.createSnapshot({ snapshot: snap('s1', 'src'), volume: vol('src') }))).to.equal('SNAPSHOT_EXISTS');
      expect(await codeOf(d.createSnapshot({ snapshot: snap('s2', 'nope'), volume: vol('nope') }))).to.equal('VOLUME_NOT_FOUND');
      await write('src', MiB, b);
      await d.createVolumeFromSnapshot({ volume: vol('fromsnap', 2), snapshot: snap('s1', 'src') });
      await d.createClonedVolume({ volume: vol('clone'), source: vol('src') });
      expect((await read('fromsnap', MiB, 8192)).equals(a)).to.equal(true);
      expect((await read('fromsnap', GiB + MiB, 4096)).equals(Buffer.alloc(4096)), 'the extra GiB reads as zeros').to.equal(true);
      expect((await read('clone', MiB, 8192)).equals(b)).to.equal(true);
      await write('clone', MiB, a);
      await write('fromsnap', MiB, b);
      expect((await read('src', MiB, 8192)).equals(b)).to.equal(true);
      // Deleting the sources never breaks what was made from them.
      await d.deleteSnapshot({ snapshot: snap('s1', 'src') });
      await d.deleteVolume({ volume: vol('src') });
      expect((await read('clone', MiB, 8192)).equals(a)).to.equal(true);
      expect((await read('fromsnap', MiB, 8192)).equals(b)).to.equal(true);
      expect(await codeOf(d.createVolumeFromSnapshot({ volume: vol('x'), snapshot: snap('s1', 'src') }))).to.equal('SNAPSHOT_NOT_FOUND');
      expect(await codeOf(d.createClonedVolume({ volume: vol('x'), source: vol('src') }))).to.equal('VOLUME_NOT_FOUND');
      expect(await codeOf(d.createClonedVolume({ volume: vol('clone'), source: vol('fromsnap', 2) }))).to.equal('INVALID_ARGUMENT');
    });

    it('reverts to a snapshot, keeps the snapshot and the volume size, and zeros what was written past the snapshot', async () => {
      await create('rv');
      const a = randomBytes(4096);
      await write('rv', 0, a);
      await d.createSnapshot({ snapshot: snap('rvs', 'rv'), volume: vol('rv') });
      await d.createSnapshot({ snapshot: snap('other', 'rv'), volume: vol('rv') });
      await write('rv', 0, randomBytes(4096));
      await d.extendVolume({ volume: vol('rv'), newSizeGiB: 2 });
      await write('rv', GiB + 4096, randomBytes(4096));
      await d.revertToSnapshot({ volume: vol('rv', 2), snapshot: snap('rvs', 'rv') });
      const conn = await open('rv', 2);
      expect(await conn.size()).to.equal(2 * GiB);
      expect((await conn.read(0, 4096)).equals(a)).to.equal(true);
      expect((await conn.read(GiB + 4096, 4096)).equals(Buffer.alloc(4096))).to.equal(true);
      // The snapshot survives, unchanged, and reverting again gives the same contents.
      await write('rv', 0, randomBytes(4096));
      await d.revertToSnapshot({ volume: vol('rv', 2), snapshot: snap('rvs', 'rv') });
      expect((await conn.read(0, 4096)).equals(a)).to.equal(true);
      await d.createVolumeFromSnapshot({ volume: vol('rv-copy'), snapshot: snap('rvs', 'rv') });
      expect((await read('rv-copy', 0, 4096)).equals(a)).to.equal(true);
      // A snapshot of another volume is refused.
      await create('rv2');
      await d.createSnapshot({ snapshot: snap('rv2s', 'rv2'), volume: vol('rv2') });
      expect(await codeOf(d.revertToSnapshot({ volume: vol('rv', 2), snapshot: snap('rv2s', 'rv2') }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(d.revertToSnapshot({ volume: vol('rv', 2), snapshot: snap('gone', 'rv') }))).to.equal('SNAPSHOT_NOT_FOUND');
    });

    it('manages an existing LV, lists what is manageable, and unmanages without deleting', async () => {
      const legacy = thin
        ? ['lvcreate', '--type', 'thin', '-V', '100m', '--thinpool', 'ashlar-pool', '-n', 'legacy', 'ashlar']
        : ['lvcreate', '-L', '100m', '-n', 'legacy', '-y', 'ashlar'];
      await onHost(legacy);
      await onHost(thin ? ['lvcreate', '-L', '8m', '-n', 'wrongkind', '-y', 'ashlar'] : ['lvcreate', '--type', 'thin', '-V', '8m', '--thinpool', 'ashlar-pool', '-n', 'wrongkind', 'ashlar']).catch(() => undefined);
      await create('managed');
      const data = randomBytes(4096);
      await host!.transport.run(['dd', 'of=/dev/ashlar/legacy', 'bs=4096', 'conv=notrunc,fsync'], { stdin: data, timeoutMs: 30_000 });
      const { volumes } = await d.listManageableVolumes({});
      const byName = new Map(volumes.map((v) => [v.reference['source-name'], v]));
      expect(byName.get('legacy')).to.deep.include({ safeToManage: true, sizeGiB: 1 });
      expect(byName.get('volume-managed')).to.deep.include({ safeToManage: false, cinderId: 'managed' });
      expect([...byName.keys()].some((n) => n?.startsWith('_snapshot-') || n === 'ashlar-pool')).to.equal(false);
      expect((await d.listManageableVolumes({ marker: 'legacy', limit: 1 })).volumes.map((v) => v.reference['source-name'])).to.have.length.at.most(1);
      expect(await codeOf(d.manageExistingGetSize({ existingRef: { 'source-name': 'nope' } }))).to.equal('MANAGE_TARGET_NOT_FOUND');
      expect(await codeOf(d.manageExistingGetSize({ existingRef: { 'source-name': '-x' } }))).to.equal('INVALID_ARGUMENT');
      expect(await codeOf(d.manageExistingGetSize({ existingRef: { 'source-name': 'volume-managed' } }))).to.equal('MANAGE_TARGET_NOT_FOUND');
      const { sizeGiB } = await d.manageExistingGetSize({ existingRef: { 'source-name': 'legacy' } });
      expect(sizeGiB).to.equal(1);
      await d.manageExisting({ volume: vol('adopted', sizeGiB), existingRef: { 'source-name': 'legacy' } });
      const conn = await open('adopted');
      expect(await conn.size()).to.equal(GiB);
      expect((await conn.read(0, 4096)).equals(data)).to.equal(true);
      await d.unmanage({ volume: vol('adopted') });
      await d.unmanage({ volume: vol('adopted') });
      const after = (await d.listManageableVolumes({})).volumes.map((v) => v.reference['source-name']);
      expect(after).to.include('unmanaged-adopted').and.not.include('volume-adopted');
    });

    it('keeps all state across a restart (a new instance on the same volume group)', async () => {
      await create('persist');
      await d.createSnapshot({ snapshot: snap('ps', 'persist'), volume: vol('persist') });
      const again = await make();
      expect(await codeOf(again.driver.createVolume({ volume: vol('persist') }))).to.equal('VOLUME_EXISTS');
      expect(await codeOf(again.driver.deleteVolume({ volume: vol('persist') }))).to.equal('VOLUME_BUSY');
    });

    it('maps capacity errors to INSUFFICIENT_CAPACITY and hostile ids to INVALID_ARGUMENT, even called raw', async () => {
      expect(await codeOf(d.createVolume({ volume: vol('huge', 500) }))).to.equal('INSUFFICIENT_CAPACITY');
      const raw = d.raw as LvmDriver;
      const signal = AbortSignal.timeout(30_000);
      for (const id of ['../etc', '-a', 'x_tdata', 'a b']) {
        expect(await codeOf(raw.createVolume({ volume: vol(id), signal })), id).to.equal('INVALID_ARGUMENT');
        expect(await codeOf(raw.deleteVolume({ volume: vol(id), signal })), id).to.equal('INVALID_ARGUMENT');
      }
      expect(await codeOf(raw.manageExisting({ volume: vol('ok'), existingRef: { 'source-name': '--help' }, signal }))).to.equal('INVALID_ARGUMENT');
    });

    if (thin) {
      it('reports thin pool use from data_percent and refuses to over-subscribe past the ratio', async () => {
        const before = (await d.getStats({ refresh: true })).stats;
        await create('fill');
        await write('fill', 0, randomBytes(64 * MiB));
        const after = (await d.getStats({ refresh: true })).stats;
        expect(after.thin_pool_data_percent as number).to.be.greaterThan(before.thin_pool_data_percent as number);
        expect(after.free_capacity_gb as number).to.be.lessThan(before.free_capacity_gb as number);
        expect(after.provisioned_capacity_gb as number).to.equal((before.provisioned_capacity_gb as number) + 1);
        const small = (await make({ maxOverSubscriptionRatio: 1 })).driver;
        const total = Math.floor(after.total_capacity_gb as number);
        expect(await codeOf(small.createVolume({ volume: vol('over', total) }))).to.equal('INSUFFICIENT_CAPACITY');
        expect(await codeOf(small.extendVolume({ volume: vol('fill'), newSizeGiB: total + 1 }))).to.equal('INSUFFICIENT_CAPACITY');
      });
    } else {
      it('clears a volume with zeros before removing it (volumeClear: zero), and not with none', async () => {
        // The test host discards freed extents (lvm.conf issue_discards = 1, ubd punches
        // holes), so a later LV would read zeros either way: observe the LV's contents at
        // the moment lvremove is sent instead.
        const pattern = Buffer.alloc(MiB, 0xa5);
        const contentsAtRemoval = async (clear: 'none' | 'zero'): Promise<Buffer> => {
          let seen: Buffer = Buffer.alloc(0);
          const inner = host!.transport;
          const observing: CommandTransport = {
            description: inner.description,
            async run(argv, options) {
              if (argv[0] === 'lvremove' && argv.includes('ashlar/volume-dirty')) {
                seen = (await inner.run(['dd', 'if=/dev/ashlar/volume-dirty', 'bs=1M', 'count=1', 'status=none'], { timeoutMs: 30_000 })).stdout;
              }
              return inner.run(argv, options);
            },
          };
          const { driver } = await instantiateDriver(await loadDriverPlugin('lvm'), { config: { volumeGroup: 'ashlar', lvmType: mode, volumeClear: clear }, transport: observing });
          await driver.createVolume({ volume: vol('dirty') });
          await write('dirty', 0, pattern);
          await driver.deleteVolume({ volume: vol('dirty') });
          return seen;
        };
        expect((await contentsAtRemoval('none')).equals(pattern)).to.equal(true);
        expect((await contentsAtRemoval('zero')).equals(Buffer.alloc(MiB))).to.equal(true);
      });
    }
  }
});
