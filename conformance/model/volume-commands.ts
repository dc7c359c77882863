import type { AsyncCommand } from 'fast-check';
import type { Extent } from '../data.js';
import { RULES } from '../rules.js';
import { verifyExists, verifyGone, verifySnapshot, verifyVolume, writeExtent } from '../volume-io.js';
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
    const state = { ...volume, extents: [], providerLocation: res.providerLocation, family: volume.id };
    m.volumes.push(state);
    await verifyVolume(r.session, { ...state, probes: m.deletedData(), probeReason: 'data of a deleted volume shows through' }, `after createVolume [${RULES.createFresh}]`);
  }
  toString(): string {
    return `createVolume(${this.sizeGiB} GiB)`;
  }
}

/**
 * createVolume on a taken id: VOLUME_EXISTS, and the existing volume is untouched. Either
 * the exact retry of the create that made it (same size: a driver that treats create as
 * idempotent, CSI-style, answers success) or a create of another size.
 */
export class CreateExistingVolume implements Cmd {
  constructor(readonly pick: number, readonly retry: boolean) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    const sizeGiB = this.retry ? v.sizeGiB : v.sizeGiB === 1 ? 2 : 1;
    await expectCode(`createVolume(${v.id}, ${sizeGiB} GiB) of an existing ${v.sizeGiB} GiB volume${this.retry ? ' (a retry)' : ''}`, ['VOLUME_EXISTS'], () =>
      r.session.driver.createVolume({ volume: { id: v.id, sizeGiB } }), RULES.createExists,
    );
    await verifyVolume(r.session, m.expectVolume(v), `after a refused duplicate createVolume [${RULES.createExists}]`);
  }
  toString(): string {
    return `createVolume(existing v[${this.pick}]${this.retry ? ', same size' : ', other size'})`;
  }
}

/**
 * deleteVolume: gone afterwards, or VOLUME_BUSY when it has snapshots and the manifest says
 * so. With "allowed" semantics its snapshots must stay usable; volumes whose ids extend its
 * id (a prefix match in the driver) must survive.
 */
export class DeleteVolume implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    const snapshot = m.latestSnapshotOf(v.id);
    const busy = r.session.manifest.semantics.deleteVolumeWithSnapshots === 'busy' && snapshot !== undefined;
    if (busy) {
      await expectCode(`deleteVolume(${v.id}) with snapshots`, ['VOLUME_BUSY'], () => r.session.driver.deleteVolume({ volume: driverVolume(v) }), RULES.deleteBusy);
      await verifyVolume(r.session, m.expectVolume(v), `after a refused deleteVolume [${RULES.deleteBusy}]`);
      return;
    }
    await expectOk(`deleteVolume(${v.id})`, () => r.session.driver.deleteVolume({ volume: driverVolume(v) }));
    r.session.tracker.forgetVolume(v.id);
    m.removeVolume(v.id);
    await verifyGone(r.session, v.id, 'after deleteVolume');
    for (const other of m.volumes.filter((o) => o.id.startsWith(v.id))) await verifyExists(r.session, other, `volume ${other.id} after deleteVolume(${v.id}) [${RULES.deleteOnly}]`);
    if (snapshot) await verifySnapshot(r.session, m.expectSnapshot(snapshot), `after deleteVolume(${v.id}) of its volume [${RULES.deleteAllowed}]`);
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
    await expectOk(`deleteVolume(${id}) of an already deleted volume (must be idempotent)`, () => r.session.driver.deleteVolume({ volume: { id, sizeGiB: 1 } }), RULES.deleteIdempotent);
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
    await verifyVolume(r.session, m.expectVolume(v), `after extendVolume [${RULES.extend}]`);
    const snapshot = m.latestSnapshotOf(v.id);
    if (snapshot) await verifySnapshot(r.session, m.expectSnapshot(snapshot), `after extendVolume(${v.id}) of its volume [${RULES.snapshotFrozen}]`);
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
      r.session.driver.raw.extendVolume({ volume: driverVolume(v), newSizeGiB: v.sizeGiB - 1, signal: AbortSignal.timeout(60_000) }), RULES.extendShrink,
    );
    await verifyVolume(r.session, m.expectVolume(v), `after a refused shrink [${RULES.extendShrink}]`);
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
    m.wrote(v, extent);
    await verifyVolume(r.session, m.expectVolume(v), 'after write');
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
    await verifyVolume(r.session, m.expectVolume(m.volume(this.pick)), 'read');
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
    await verifyVolume(r.session, m.expectVolume(v), `first connection [${RULES.connection}]`);
    await verifyVolume(r.session, m.expectVolume(v), `second connection [${RULES.connection}]`);
    const volume = driverVolume(v);
    await expectOk(`terminateConnection(${v.id}) again`, () => r.session.driver.terminateConnection({ volume, connector: r.session.connector }), RULES.terminate);
    await expectOk(`terminateConnection(${v.id}) without connector (all hosts)`, () => r.session.driver.terminateConnection({ volume }), RULES.terminate);
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
    await expectCode(`extendVolume(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () => r.session.driver.extendVolume({ volume, newSizeGiB: 2 }), RULES.extendMissing);
    await expectCode(`initializeConnection(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () =>
      r.session.driver.initializeConnection({ volume, connector: r.session.connector }), RULES.volumeMissing,
    );
    await expectOkOrCode(`terminateConnection(${id}) of a missing volume`, ['VOLUME_NOT_FOUND'], () =>
      r.session.driver.terminateConnection({ volume, connector: r.session.connector }), RULES.terminate,
    );
  }
  toString(): string {
    return 'missingVolumeCalls()';
  }
}
