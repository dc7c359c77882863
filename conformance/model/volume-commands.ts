import type { AsyncCommand } from 'fast-check';
import type { Extent } from '../data.js';
import { verifyGone, verifyVolume, writeExtent } from '../volume-io.js';
import { expectCode, expectOk, expectOkOrCode } from '../violation.js';
import { driverVolume, type LifecycleModel } from './model.js';
import type { LifecycleReal } from './real.js';

const GiB = 1024 ** 3;
/** Live volumes a run keeps at most, so runs stay short and cheap. */
export const MAX_VOLUMES = 5;
/** Largest size the model grows a volume to. */
export const MAX_SIZE_GIB = 8;

type Cmd = AsyncCommand<LifecycleModel, LifecycleReal>;

/** createVolume: a new empty volume that reads as zeros. */
export class CreateVolume implements Cmd {
  constructor(readonly sizeGiB: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length < MAX_VOLUMES;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const volume = { id: m.newVolumeId(), sizeGiB: this.sizeGiB };
    r.session.tracker.volume(volume);
    r.session.tracker.count();
    const res = await expectOk(`createVolume(${volume.id}, ${volume.sizeGiB} GiB)`, () => r.session.driver.createVolume({ volume }));
    const state = { ...volume, extents: [], providerLocation: res.providerLocation };
    m.volumes.push(state);
    await verifyVolume(r.session, state, 'after createVolume');
  }
  toString(): string {
    return `createVolume(${this.sizeGiB} GiB)`;
  }
}

/** createVolume on a taken id: VOLUME_EXISTS, and the existing volume is untouched. */
export class CreateExistingVolume implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    await expectCode(`createVolume(${v.id}) again`, ['VOLUME_EXISTS'], () => r.session.driver.createVolume({ volume: { id: v.id, sizeGiB: 1 } }));
    await verifyVolume(r.session, v, 'after a refused duplicate createVolume');
  }
  toString(): string {
    return `createVolume(existing v[${this.pick}])`;
  }
}

/** deleteVolume: gone afterwards, or VOLUME_BUSY when it has snapshots and the manifest says so. */
export class DeleteVolume implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    const busy = r.session.manifest.semantics.deleteVolumeWithSnapshots === 'busy' && m.snapshotsOf(v.id).length > 0;
    if (busy) {
      await expectCode(`deleteVolume(${v.id}) with snapshots (semantics: busy)`, ['VOLUME_BUSY'], () => r.session.driver.deleteVolume({ volume: driverVolume(v) }));
      await verifyVolume(r.session, v, 'after a refused deleteVolume');
      return;
    }
    await expectOk(`deleteVolume(${v.id})`, () => r.session.driver.deleteVolume({ volume: driverVolume(v) }));
    r.session.tracker.forgetVolume(v.id);
    m.removeVolume(v.id);
    await verifyGone(r.session, v.id, 'after deleteVolume');
  }
  toString(): string {
    return `deleteVolume(v[${this.pick}])`;
  }
}

/** deleteVolume of a volume already deleted: succeeds (idempotent). */
export class DeleteVolumeAgain implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.deletedVolumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const id = m.deletedVolumes[this.pick % m.deletedVolumes.length]!;
    await expectOk(`deleteVolume(${id}) of an already deleted volume (must be idempotent)`, () => r.session.driver.deleteVolume({ volume: { id, sizeGiB: 1 } }));
    await verifyGone(r.session, id, 'after deleting again');
  }
  toString(): string {
    return `deleteVolume(deleted #${this.pick})`;
  }
}

/** extendVolume: the new size shows on the data path and the data stays. */
export class ExtendVolume implements Cmd {
  constructor(readonly pick: number, readonly growGiB: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.some((v) => v.sizeGiB + this.growGiB <= MAX_SIZE_GIB);
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const candidates = m.volumes.filter((v) => v.sizeGiB + this.growGiB <= MAX_SIZE_GIB);
    const v = candidates[this.pick % candidates.length]!;
    const newSizeGiB = v.sizeGiB + this.growGiB;
    await expectOk(`extendVolume(${v.id}, ${v.sizeGiB} → ${newSizeGiB} GiB)`, () => r.session.driver.extendVolume({ volume: driverVolume(v), newSizeGiB }));
    v.sizeGiB = newSizeGiB;
    await verifyVolume(r.session, v, 'after extendVolume');
  }
  toString(): string {
    return `extendVolume(v[${this.pick}], +${this.growGiB} GiB)`;
  }
}

/**
 * extendVolume to a smaller size, straight to the raw driver (the wrapper would refuse it
 * first): INVALID_ARGUMENT, size unchanged.
 */
export class ShrinkVolume implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.some((v) => v.sizeGiB > 1);
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const candidates = m.volumes.filter((v) => v.sizeGiB > 1);
    const v = candidates[this.pick % candidates.length]!;
    await expectCode(`extendVolume(${v.id}) to a smaller size`, ['INVALID_ARGUMENT'], () =>
      r.session.driver.raw.extendVolume({ volume: driverVolume(v), newSizeGiB: v.sizeGiB - 1, signal: AbortSignal.timeout(60_000) }),
    );
    await verifyVolume(r.session, v, 'after a refused shrink');
  }
  toString(): string {
    return `shrinkVolume(v[${this.pick}])`;
  }
}

/** A write of a small extent through the connector; it reads back. */
export class WriteExtent implements Cmd {
  /** `at` is a fraction of the volume (0..1) so the offset scales with its size. */
  constructor(readonly pick: number, readonly at: number, readonly length: number, readonly fill: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    const size = v.sizeGiB * GiB;
    // Sector-aligned; arithmetic, not bit operations, since offsets pass 2^31.
    const unaligned = Math.min(Math.floor(this.at * size), size - this.length);
    const offset = unaligned - (unaligned % 512);
    const extent: Extent = { offset, length: this.length, fill: this.fill };
    await writeExtent(r.session, driverVolume(v), extent);
    v.extents.push(extent);
    await verifyVolume(r.session, v, 'after write');
  }
  toString(): string {
    return `write(v[${this.pick}], at ${this.at.toFixed(4)}, ${this.length} B, fill ${this.fill})`;
  }
}

/** Reads a volume back in full (existence, size, data). */
export class VerifyVolume implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    await verifyVolume(r.session, m.volume(this.pick), 'read');
  }
  toString(): string {
    return `read(v[${this.pick}])`;
  }
}

/** initializeConnection twice (both infos usable), terminateConnection twice. */
export class ConnectTwice implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    await verifyVolume(r.session, v, 'first connection');
    await verifyVolume(r.session, v, 'second connection');
    const volume = driverVolume(v);
    await expectOk(`terminateConnection(${v.id}) again`, () => r.session.driver.terminateConnection({ volume, connector: r.session.connector }));
    await expectOk(`terminateConnection(${v.id}) without connector (all hosts)`, () => r.session.driver.terminateConnection({ volume }));
  }
  toString(): string {
    return `connectTwice(v[${this.pick}])`;
  }
}

/** Calls on an id that does not exist: VOLUME_NOT_FOUND for extend and initialize; terminate succeeds or says VOLUME_NOT_FOUND. */
export class MissingVolumeCalls implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const id = m.deletedVolumes.at(-1) ?? m.unknownId();
    const volume = { id, sizeGiB: 1 };
    await expectCode(`extendVolume(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () => r.session.driver.extendVolume({ volume, newSizeGiB: 2 }));
    await expectCode(`initializeConnection(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () =>
      r.session.driver.initializeConnection({ volume, connector: r.session.connector }),
    );
    await expectOkOrCode(`terminateConnection(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () =>
      r.session.driver.terminateConnection({ volume, connector: r.session.connector }),
    );
  }
  toString(): string {
    return 'missingVolumeCalls()';
  }
}
