import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../../core/connectors/index.js';
import type { RuntimeDriver } from '../../../core/contract/runtime-driver.js';
import { instantiateDriver, type DriverInstance } from '../../../core/plugins/index.js';
import type { FileDriver } from '../../../drivers/file/file-driver.js';
import { requireBackend } from '../../helpers/backend-required.js';
import { makeReflinkFs, reflinkUnavailableReason, type ReflinkFs } from '../../helpers/reflink-fs.js';
import { codeOf } from '../../helpers/error-code.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

const GiB = 1024 ** 3;


async function fileDriver(directory: string, extra: Record<string, unknown> = {}): Promise<DriverInstance> {
  return instantiateDriver(await loadDriverPlugin('file'), { config: { directory, ...extra } });
}

async function writeAt(d: RuntimeDriver, id: string, size: number, offset: number, data: Buffer): Promise<void> {
  const { connectionInfo } = await d.initializeConnection({ volume: { id, sizeGiB: size }, connector: { host: 'test' } });
  const conn = await connect(connectionInfo);
  try {
    await conn.write(offset, data);
  } finally {
    await conn.close();
  }
}

async function readAt(d: RuntimeDriver, id: string, size: number, offset: number, length: number): Promise<Buffer> {
  const { connectionInfo } = await d.initializeConnection({ volume: { id, sizeGiB: size }, connector: { host: 'test' } });
  const conn = await connect(connectionInfo);
  try {
    return await conn.read(offset, length);
  } finally {
    await conn.close();
  }
}

/** The whole behaviour suite, run on whatever directory (ext4 fallback or reflink XFS). */
function behaviourSuite(getDir: () => string, expectedCopy: 'reflink' | 'sparse-copy'): void {
  let inst: DriverInstance;
  let d: RuntimeDriver;
  beforeEach(async () => {
    inst = await fileDriver(getDir());
    d = inst.driver;
  });

  it('creates a sparse volume of the requested size that reads as zeros', async () => {
    await d.createVolume({ volume: { id: 'v1', sizeGiB: 2 } });
    const st = await stat(path.join(getDir(), 'volumes', 'volume-v1.img'));
    expect(st.size).to.equal(2 * GiB);
    expect(st.blocks * 512).to.be.below(1024 * 1024);
    expect((await readAt(d, 'v1', 2, GiB, 4096)).equals(Buffer.alloc(4096))).to.equal(true);
  });

  it('refuses to create an id that exists and leaves the original untouched', async () => {
    await d.createVolume({ volume: { id: 'v1', sizeGiB: 1 } });
    await writeAt(d, 'v1', 1, 0, Buffer.from('keep me'));
    expect(await codeOf(d.createVolume({ volume: { id: 'v1', sizeGiB: 3 } }))).to.equal('VOLUME_EXISTS');
    expect((await readAt(d, 'v1', 1, 0, 7)).toString()).to.equal('keep me');
  });

  it('deletes idempotently: deleting a volume that is already gone succeeds', async () => {
    await d.createVolume({ volume: { id: 'v1', sizeGiB: 1 } });
    await d.deleteVolume({ volume: { id: 'v1', sizeGiB: 1 } });
    await d.deleteVolume({ volume: { id: 'v1', sizeGiB: 1 } });
    expect(await readdir(path.join(getDir(), 'volumes'))).to.deep.equal([]);
  });

  it('extends keeping data, refuses to shrink, and reports a missing volume', async () => {
    await d.createVolume({ volume: { id: 'v1', sizeGiB: 1 } });
    const data = randomBytes(8192);
    await writeAt(d, 'v1', 1, 12345, data);
    await d.extendVolume({ volume: { id: 'v1', sizeGiB: 1 }, newSizeGiB: 3 });
    expect((await stat(path.join(getDir(), 'volumes', 'volume-v1.img'))).size).to.equal(3 * GiB);
    expect((await readAt(d, 'v1', 3, 12345, 8192)).equals(data)).to.equal(true);
    // The raw driver checks the real size, not the size the caller claims.
    expect(await codeOf(d.raw.extendVolume({ volume: { id: 'v1', sizeGiB: 1 }, newSizeGiB: 2, signal: AbortSignal.timeout(5000) }))).to.equal('INVALID_ARGUMENT');
    expect(await codeOf(d.extendVolume({ volume: { id: 'nope', sizeGiB: 1 }, newSizeGiB: 2 }))).to.equal('VOLUME_NOT_FOUND');
  });

  it(`isolates snapshots and clones from their source in both directions (${expectedCopy})`, async () => {
    await d.createVolume({ volume: { id: 'src', sizeGiB: 1 } });
    const before = randomBytes(65536);
    await writeAt(d, 'src', 1, 4096, before);
    await d.createSnapshot({ volume: { id: 'src', sizeGiB: 1 }, snapshot: { id: 's1', volumeId: 'src', sizeGiB: 1 } });
    await d.createClonedVolume({ volume: { id: 'clone', sizeGiB: 2 }, source: { id: 'src', sizeGiB: 1 } });
    expect((d.raw as unknown as FileDriver).copyMethod).to.equal(expectedCopy);
    const after = randomBytes(65536);
    await writeAt(d, 'src', 1, 4096, after);
    await writeAt(d, 'clone', 2, 0, Buffer.from('clone-only'));
    await d.createVolumeFromSnapshot({ volume: { id: 'fromsnap', sizeGiB: 1 }, snapshot: { id: 's1', volumeId: 'src', sizeGiB: 1 } });
    expect((await readAt(d, 'fromsnap', 1, 4096, 65536)).equals(before)).to.equal(true);
    // The clone keeps the source's data as of cloning, not the later write...
    expect((await readAt(d, 'clone', 2, 4096, 65536)).equals(before)).to.equal(true);
    expect((await readAt(d, 'src', 1, 4096, 65536)).equals(after)).to.equal(true);
    // ...and the clone's own write never shows in the source.
    expect((await readAt(d, 'clone', 2, 0, 10)).toString()).to.equal('clone-only');
    expect((await readAt(d, 'src', 1, 0, 10)).equals(Buffer.alloc(10))).to.equal(true);
    expect((await stat(path.join(getDir(), 'volumes', 'volume-clone.img'))).size).to.equal(2 * GiB);
    // Deleting the source leaves snapshot, clone and volume-from-snapshot intact.
    await d.deleteVolume({ volume: { id: 'src', sizeGiB: 1 } });
    expect((await readAt(d, 'fromsnap', 1, 4096, 65536)).equals(before)).to.equal(true);
  });

  it('reverts a volume to the snapshot it is asked for, keeping its size', async () => {
    await d.createVolume({ volume: { id: 'v', sizeGiB: 1 } });
    await writeAt(d, 'v', 1, 0, Buffer.from('first'));
    await d.createSnapshot({ volume: { id: 'v', sizeGiB: 1 }, snapshot: { id: 'a', volumeId: 'v', sizeGiB: 1 } });
    await writeAt(d, 'v', 1, 0, Buffer.from('second'));
    await d.createSnapshot({ volume: { id: 'v', sizeGiB: 1 }, snapshot: { id: 'b', volumeId: 'v', sizeGiB: 1 } });
    await writeAt(d, 'v', 1, 0, Buffer.from('third!'));
    await d.extendVolume({ volume: { id: 'v', sizeGiB: 1 }, newSizeGiB: 2 });
    await d.revertToSnapshot({ volume: { id: 'v', sizeGiB: 2 }, snapshot: { id: 'a', volumeId: 'v', sizeGiB: 1 } });
    expect((await readAt(d, 'v', 2, 0, 6)).toString()).to.equal('first\0');
    expect((await stat(path.join(getDir(), 'volumes', 'volume-v.img'))).size).to.equal(2 * GiB);
    await d.createVolume({ volume: { id: 'other', sizeGiB: 1 } });
    expect(await codeOf(d.revertToSnapshot({ volume: { id: 'other', sizeGiB: 1 }, snapshot: { id: 'b', volumeId: 'other', sizeGiB: 1 } }))).to.equal('INVALID_ARGUMENT');
  });

  it('keeps all state across a restart (a new instance on the same directory)', async () => {
    await d.createVolume({ volume: { id: 'p', sizeGiB: 1 } });
    await writeAt(d, 'p', 1, 100, Buffer.from('persist'));
    await d.createSnapshot({ volume: { id: 'p', sizeGiB: 1 }, snapshot: { id: 'ps', volumeId: 'p', sizeGiB: 1 } });
    const again = (await fileDriver(getDir())).driver;
    expect((await readAt(again, 'p', 1, 100, 7)).toString()).to.equal('persist');
    await again.revertToSnapshot({ volume: { id: 'p', sizeGiB: 1 }, snapshot: { id: 'ps', volumeId: 'p', sizeGiB: 1 } });
    expect((await again.getStats({ refresh: true })).stats.provisioned_capacity_gb).to.equal(1);
  });

  it('reports stats with free ≤ total and provisioned following creates and deletes', async () => {
    const s0 = (await d.getStats({ refresh: true })).stats;
    await d.createVolume({ volume: { id: 'a', sizeGiB: 3 } });
    const s1 = (await d.getStats({ refresh: true })).stats;
    expect(s1.provisioned_capacity_gb).to.equal((s0.provisioned_capacity_gb ?? 0) + 3);
    expect(Number(s1.free_capacity_gb)).to.be.at.most(Number(s1.total_capacity_gb));
    await d.deleteVolume({ volume: { id: 'a', sizeGiB: 3 } });
    expect((await d.getStats({ refresh: true })).stats.provisioned_capacity_gb).to.equal(s0.provisioned_capacity_gb);
  });

  it('manages an existing file, unmanages it, and lists what is manageable', async () => {
    await writeFile(path.join(getDir(), 'volumes', 'legacy.img'), Buffer.from('legacy data'));
    await d.createVolume({ volume: { id: 'm1', sizeGiB: 1 } });
    const listed = (await d.listManageableVolumes({})).volumes;
    expect(listed.map((v) => [v.reference['source-name'], v.safeToManage])).to.deep.equal([['legacy.img', true], ['volume-m1.img', false]]);
    const { sizeGiB } = await d.manageExistingGetSize({ existingRef: { 'source-name': 'legacy.img' } });
    expect(sizeGiB).to.equal(1);
    await d.manageExisting({ volume: { id: 'adopted', sizeGiB }, existingRef: { 'source-name': 'legacy.img' } });
    expect((await readAt(d, 'adopted', 1, 0, 11)).toString()).to.equal('legacy data');
    expect(await codeOf(d.manageExistingGetSize({ existingRef: { 'source-name': 'legacy.img' } }))).to.equal('MANAGE_TARGET_NOT_FOUND');
    await d.unmanage({ volume: { id: 'adopted', sizeGiB: 1 } });
    expect((await d.listManageableVolumes({})).volumes.some((v) => v.reference['source-name'] === 'unmanaged-adopted.img' && v.safeToManage)).to.equal(true);
  });
}

describe('file driver', () => {
  describe('on the default filesystem (sparse-copy fallback)', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-file-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    // /tmp here is ext4, which cannot reflink: this is the fallback path.
    behaviourSuite(() => dir, 'sparse-copy');

    it('fails clearly with reflink=always where the filesystem cannot reflink', async () => {
      const d = (await fileDriver(dir, { reflink: 'always' })).driver;
      await d.createVolume({ volume: { id: 'v', sizeGiB: 1 } });
      expect(await codeOf(d.createClonedVolume({ volume: { id: 'c', sizeGiB: 1 }, source: { id: 'v', sizeGiB: 1 } }))).to.equal('BACKEND_ERROR');
      expect(await readdir(path.join(dir, 'volumes'))).to.deep.equal(['volume-v.img']);
    });

    it('never lets a hostile name reach the filesystem, even called raw', async () => {
      const raw = (await fileDriver(dir)).driver.raw;
      const signal = AbortSignal.timeout(5000);
      const hostile = ['../escape', '..', 'a/b', '/etc/passwd', 'x;touch y', '$(touch y)', 'nul\0', 'ünï', 'x'.repeat(300), ''];
      for (const id of hostile) {
        expect(await codeOf(raw.createVolume({ volume: { id, sizeGiB: 1 }, signal })), JSON.stringify(id)).to.equal('INVALID_ARGUMENT');
        expect(await codeOf(raw.deleteVolume({ volume: { id, sizeGiB: 1 }, signal })), JSON.stringify(id)).to.equal('INVALID_ARGUMENT');
      }
      expect(await codeOf(raw.manageExisting!({ volume: { id: 'ok', sizeGiB: 1 }, existingRef: { 'source-name': '../../etc/passwd' }, signal }))).to.equal('INVALID_ARGUMENT');
      expect((await readdir(dir)).sort()).to.deep.equal(['snapshots', 'tmp', 'volumes']);
      expect(await readdir(path.join(dir, 'volumes'))).to.deep.equal([]);
    });

    it('reports a size beyond the filesystem as INSUFFICIENT_CAPACITY', async () => {
      const d = (await fileDriver(dir, { capacityGiB: 10, maxOverSubscriptionRatio: 1 })).driver;
      await d.createVolume({ volume: { id: 'fits', sizeGiB: 6 } });
      expect(await codeOf(d.createVolume({ volume: { id: 'toobig', sizeGiB: 5 } }))).to.equal('INSUFFICIENT_CAPACITY');
      expect(await codeOf(d.extendVolume({ volume: { id: 'fits', sizeGiB: 6 }, newSizeGiB: 11 }))).to.equal('INSUFFICIENT_CAPACITY');
    });

    it('counts capacity across concurrent creates, failures, deletes, clones, extends and a restart', async () => {
      const cap = { capacityGiB: 10, maxOverSubscriptionRatio: 1 };
      const d = (await fileDriver(dir, cap)).driver;
      // Four 3 GiB creates at once on 10 GiB: exactly three fit, whatever the interleaving.
      const codes = await Promise.all(['a', 'b', 'c', 'd'].map((id) => codeOf(d.createVolume({ volume: { id, sizeGiB: 3 } }))));
      expect(codes.filter((c) => c === undefined)).to.have.length(3);
      expect(codes.filter((c) => c === 'INSUFFICIENT_CAPACITY')).to.have.length(1);
      const made = ['a', 'b', 'c', 'd'].filter((_, i) => codes[i] === undefined);
      expect((await d.getStats({ refresh: true })).stats.provisioned_capacity_gb).to.equal(9);
      // A create that fails for another reason gives its claim back.
      expect(await codeOf(d.createVolume({ volume: { id: made[0]!, sizeGiB: 1 } }))).to.equal('VOLUME_EXISTS');
      await d.createVolume({ volume: { id: 'one', sizeGiB: 1 } });
      await d.deleteVolume({ volume: { id: made[1]!, sizeGiB: 3 } });
      await d.createClonedVolume({ volume: { id: 'clone', sizeGiB: 3 }, source: { id: made[0]!, sizeGiB: 3 } });
      expect(await codeOf(d.extendVolume({ volume: { id: 'one', sizeGiB: 1 }, newSizeGiB: 2 }))).to.equal('INSUFFICIENT_CAPACITY');
      expect((await d.getStats({ refresh: true })).stats.provisioned_capacity_gb).to.equal(10);
      // A new instance rebuilds the same account from disk.
      const again = (await fileDriver(dir, cap)).driver;
      expect(await codeOf(again.createVolume({ volume: { id: 'more', sizeGiB: 1 } }))).to.equal('INSUFFICIENT_CAPACITY');
      await again.unmanage({ volume: { id: 'one', sizeGiB: 1 } });
      await again.extendVolume({ volume: { id: 'clone', sizeGiB: 3 }, newSizeGiB: 4 });
      expect((await again.getStats({ refresh: true })).stats.provisioned_capacity_gb).to.equal(10);
      expect(await codeOf(again.createVolume({ volume: { id: 'more', sizeGiB: 1 } }))).to.equal('INSUFFICIENT_CAPACITY');
    });
  });

  describe('on a reflink filesystem (loop-mounted XFS)', function () {
    let fs: ReflinkFs | undefined;
    let dir: string;
    before(async function () {
      const missing = await reflinkUnavailableReason();
      requireBackend(this, missing === undefined, missing ?? '');
      fs = await makeReflinkFs();
    });
    after(async () => {
      await fs?.dispose();
    });
    beforeEach(async () => {
      dir = await mkdtemp(path.join(fs!.mountPoint, 'drv-'));
    });
    behaviourSuite(() => dir, 'reflink');
  });
});
