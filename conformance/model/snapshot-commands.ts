import type { AsyncCommand } from 'fast-check';
import { RULES } from '../rules.js';
import { verifyGone, verifySnapshot, verifySnapshotGone, verifyVolume } from '../volume-io.js';
import { expectCode, expectOk } from '../violation.js';
import { driverSnapshot, driverVolume, type LifecycleModel, type VolumeState } from './model.js';
import type { LifecycleReal } from './real.js';
import { MAX_SIZE_GIB, MAX_VOLUMES } from './volume-commands.js';

/** Snapshots a run keeps at most. */
const MAX_SNAPSHOTS = 6;

type Cmd = AsyncCommand<LifecycleModel, LifecycleReal>;

/** createSnapshot: freezes the volume's current data. */
export class CreateSnapshot implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0 && m.snapshots.length < MAX_SNAPSHOTS;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const v = m.volume(this.pick);
    const snapshot = { id: m.newSnapshotId(), volumeId: v.id, sizeGiB: v.sizeGiB };
    r.session.tracker.snapshot(snapshot);
    r.session.tracker.count();
    const res = await expectOk(`createSnapshot(${snapshot.id} of ${v.id})`, () => r.session.driver.createSnapshot({ snapshot, volume: driverVolume(v) }));
    m.snapshots.push({ ...snapshot, extents: [...v.extents], providerLocation: res.providerLocation, family: v.family });
    m.snapshotChanges++;
    await verifyVolume(r.session, m.expectVolume(v), 'source after createSnapshot');
  }
  toString(): string {
    return `createSnapshot(v[${this.pick}])`;
  }
}

/** deleteSnapshot: gone (a volume from it fails SNAPSHOT_NOT_FOUND), its volume intact. */
export class DeleteSnapshot implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.snapshots.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const s = m.snapshot(this.pick);
    await expectOk(`deleteSnapshot(${s.id})`, () => r.session.driver.deleteSnapshot({ snapshot: driverSnapshot(s) }));
    r.session.tracker.forgetSnapshot(s.id);
    m.removeSnapshot(s.id);
    await verifySnapshotGone(r.session, driverSnapshot(s), m.newVolumeId(), 'after deleteSnapshot');
    const source = m.volumes.find((v) => v.id === s.volumeId);
    if (source) await verifyVolume(r.session, m.expectVolume(source), `source after deleteSnapshot [${RULES.snapshotDelete}]`);
  }
  toString(): string {
    return `deleteSnapshot(s[${this.pick}])`;
  }
}

/** deleteSnapshot of a snapshot already deleted: succeeds (idempotent). */
export class DeleteSnapshotAgain implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.deletedSnapshots.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const id = m.deletedSnapshots[this.pick % m.deletedSnapshots.length]!;
    await expectOk(`deleteSnapshot(${id}) of an already deleted snapshot (must be idempotent)`, () =>
      r.session.driver.deleteSnapshot({ snapshot: { id, volumeId: id, sizeGiB: 1 } }), RULES.snapshotMissing,
    );
  }
  toString(): string {
    return `deleteSnapshot(deleted #${this.pick})`;
  }
}

/** createVolumeFromSnapshot: the new volume holds the snapshot's data, zeros beyond. */
export class VolumeFromSnapshot implements Cmd {
  constructor(readonly pick: number, readonly extraGiB: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.snapshots.length > 0 && m.volumes.length < MAX_VOLUMES;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const s = m.snapshot(this.pick);
    const volume = { id: m.newVolumeId(), sizeGiB: Math.min(MAX_SIZE_GIB, s.sizeGiB + this.extraGiB) };
    r.session.tracker.volume(volume);
    r.session.tracker.count();
    const res = await expectOk(`createVolumeFromSnapshot(${volume.id} from ${s.id})`, () =>
      r.session.driver.createVolumeFromSnapshot({ volume, snapshot: driverSnapshot(s) }),
    );
    const state: VolumeState = { ...volume, extents: [...s.extents], providerLocation: res.providerLocation, family: s.family };
    m.volumes.push(state);
    await verifyVolume(r.session, m.expectVolume(state), `volume from snapshot ${s.id} [${RULES.fromSnapshot}]`);
  }
  toString(): string {
    return `volumeFromSnapshot(s[${this.pick}], +${this.extraGiB} GiB)`;
  }
}

/** Calls naming a deleted or unknown snapshot: SNAPSHOT_NOT_FOUND, nothing created. */
export class MissingSnapshotCalls implements Cmd {
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length < MAX_VOLUMES;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const id = m.deletedSnapshots.at(-1) ?? m.unknownId();
    const volume = { id: m.newVolumeId(), sizeGiB: 1 };
    r.session.tracker.volume(volume);
    await expectCode(`createVolumeFromSnapshot(${volume.id}) of missing snapshot ${id}`, ['SNAPSHOT_NOT_FOUND'], () =>
      r.session.driver.createVolumeFromSnapshot({ volume, snapshot: { id, volumeId: id, sizeGiB: 1 } }), RULES.snapshotMissing,
    );
    await verifyGone(r.session, volume.id, 'after a failed createVolumeFromSnapshot');
    const missingVolume = m.deletedVolumes.at(-1) ?? m.unknownId();
    const snapshot = { id: m.newSnapshotId(), volumeId: missingVolume, sizeGiB: 1 };
    r.session.tracker.snapshot(snapshot);
    await expectCode(`createSnapshot(${snapshot.id}) of missing volume ${missingVolume}`, ['VOLUME_NOT_FOUND'], () =>
      r.session.driver.createSnapshot({ snapshot, volume: { id: missingVolume, sizeGiB: 1 } }), RULES.volumeMissing,
    );
    // Nothing may have been made of it: a volume from it finds no snapshot.
    const probe = { id: m.newVolumeId(), sizeGiB: 1 };
    r.session.tracker.volume(probe);
    await expectCode(`createVolumeFromSnapshot(${probe.id}) of snapshot ${snapshot.id}, whose create failed`, ['SNAPSHOT_NOT_FOUND'], () =>
      r.session.driver.createVolumeFromSnapshot({ volume: probe, snapshot }), `${RULES.snapshotMissing}; a failed create leaves nothing behind`,
    );
  }
  toString(): string {
    return 'missingSnapshotCalls()';
  }
}

/** createClonedVolume: the clone holds the source's data now; later writes stay apart. */
export class CloneVolume implements Cmd {
  constructor(readonly pick: number, readonly extraGiB: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumes.length > 0 && m.volumes.length < MAX_VOLUMES;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const source = m.volume(this.pick);
    const volume = { id: m.newVolumeId(), sizeGiB: Math.min(MAX_SIZE_GIB, source.sizeGiB + this.extraGiB) };
    r.session.tracker.volume(volume);
    r.session.tracker.count();
    const res = await expectOk(`createClonedVolume(${volume.id} from ${source.id})`, () =>
      r.session.driver.createClonedVolume({ volume, source: driverVolume(source) }),
    );
    const state: VolumeState = { ...volume, extents: [...source.extents], providerLocation: res.providerLocation, family: source.family };
    m.volumes.push(state);
    await verifyVolume(r.session, m.expectVolume(state), `clone of ${source.id} [${RULES.clone}]`);
    await verifyVolume(r.session, m.expectVolume(source), 'source after clone');
  }
  toString(): string {
    return `clone(v[${this.pick}], +${this.extraGiB} GiB)`;
  }
}

/** revertToSnapshot to the volume's latest snapshot: its data again, size kept. */
export class RevertToSnapshot implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.volumesWithSnapshots().length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const candidates = m.volumesWithSnapshots();
    const v = candidates[this.pick % candidates.length]!;
    const latest = m.snapshotsOf(v.id).at(-1)!;
    await expectOk(`revertToSnapshot(${v.id} to ${latest.id})`, () => r.session.driver.revertToSnapshot({ volume: driverVolume(v), snapshot: driverSnapshot(latest) }), RULES.revert);
    v.extents = [...latest.extents];
    // Data showing through here is revertToSnapshot's fault, whatever relative wrote it.
    const reason = `revertToSnapshot(${v.id} to ${latest.id}) did not restore the snapshot's contents: data the volume or its relatives hold since shows through`;
    await verifyVolume(r.session, { ...m.expectVolume(v), probeReason: reason }, `after revertToSnapshot(${v.id} to ${latest.id}) [${RULES.revert}]`);
    await verifySnapshot(r.session, m.expectSnapshot(latest), `snapshot ${latest.id} after reverting ${v.id} to it [${RULES.revert}]`);
  }
  toString(): string {
    return `revert(v[${this.pick}] to its latest snapshot)`;
  }
}

/** Reads a snapshot back (through a temporary volume): it still holds what it froze. */
export class ReadSnapshot implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<LifecycleModel>): boolean {
    return m.snapshots.length > 0;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const s = m.snapshot(this.pick);
    await verifySnapshot(r.session, m.expectSnapshot(s), `read [${RULES.snapshotFrozen}]`);
  }
  toString(): string {
    return `readSnapshot(s[${this.pick}])`;
  }
}
