import type { DriverSnapshot, DriverVolume } from '../../core/contract/types.js';
import type { Extent } from '../data.js';
import type { ExpectedSnapshot, ExpectedVolume } from '../volume-io.js';

/** A volume as the model expects it on the backend. */
export interface VolumeState {
  readonly id: string;
  sizeGiB: number;
  /** Every write that reached it (inherited ones included), oldest first. */
  extents: Extent[];
  providerLocation?: string | undefined;
  /** The volume it descends from through clones and snapshots (itself for a new one). */
  readonly family: string;
}

/** A snapshot as the model expects it: a frozen copy of its volume's data. */
export interface SnapshotState {
  readonly id: string;
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly extents: readonly Extent[];
  readonly providerLocation?: string | undefined;
  readonly family: string;
}

/** How many writes to relatives a check reads back at most. */
const PROBES = 8;

/** What the last stats call reported, for the capacity-direction check. */
export interface StatsMark {
  readonly provisioned: number | undefined;
  readonly modelProvisioned: number;
  readonly snapshotChanges: number;
}

/**
 * The in-memory model of one lifecycle run. Lists keep creation order so commands can pick
 * "the k-th volume" deterministically, which keeps shrunk sequences replayable.
 */
export class LifecycleModel {
  readonly volumes: VolumeState[] = [];
  readonly snapshots: SnapshotState[] = [];
  readonly deletedVolumes: string[] = [];
  readonly deletedSnapshots: string[] = [];
  /** Every write of the run, with the family of the volume it went to. */
  readonly writes: { readonly family: string; readonly volumeId: string; readonly extent: Extent }[] = [];
  /** Bumped on every snapshot create/delete (they may count in provisioned capacity). */
  snapshotChanges = 0;
  lastStats: StatsMark | undefined;
  readonly #prefix: string;
  #nextVolume = 0;
  #nextSnapshot = 0;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  newVolumeId(): string {
    return `${this.#prefix}-v${this.#nextVolume++}`;
  }

  newSnapshotId(): string {
    return `${this.#prefix}-s${this.#nextSnapshot++}`;
  }

  /** An id of this run that was never created. */
  unknownId(): string {
    return `${this.#prefix}-never`;
  }

  volume(index: number): VolumeState {
    return this.volumes[index % this.volumes.length]!;
  }

  snapshot(index: number): SnapshotState {
    return this.snapshots[index % this.snapshots.length]!;
  }

  snapshotsOf(volumeId: string): SnapshotState[] {
    return this.snapshots.filter((s) => s.volumeId === volumeId);
  }

  /** Live volumes that have at least one snapshot. */
  volumesWithSnapshots(): VolumeState[] {
    return this.volumes.filter((v) => this.snapshots.some((s) => s.volumeId === v.id));
  }

  removeVolume(id: string): void {
    this.volumes.splice(this.volumes.findIndex((v) => v.id === id), 1);
    this.deletedVolumes.push(id);
  }

  removeSnapshot(id: string): void {
    this.snapshots.splice(this.snapshots.findIndex((s) => s.id === id), 1);
    this.deletedSnapshots.push(id);
    this.snapshotChanges++;
  }

  /** Records a write to `v`. */
  wrote(v: VolumeState, extent: Extent): void {
    v.extents.push(extent);
    this.writes.push({ family: v.family, volumeId: v.id, extent });
  }

  /** Recent writes to relatives that `own` does not hold: their regions must not show through. */
  probesFor(family: string, own: readonly Extent[]): Extent[] {
    return this.writes.filter((w) => w.family === family && !own.includes(w.extent)).slice(-PROBES).map((w) => w.extent);
  }

  /** Recent writes to volumes deleted since: a new volume must read zeros there, not their old data. */
  deletedData(): Extent[] {
    return this.writes.filter((w) => this.deletedVolumes.includes(w.volumeId)).slice(-4).map((w) => w.extent);
  }

  /** What a check of `v` expects, with the writes to its relatives as probes. */
  expectVolume(v: VolumeState): ExpectedVolume {
    return { ...v, probes: this.probesFor(v.family, v.extents) };
  }

  /** What a check of `s` expects, with the writes to its relatives as probes. */
  expectSnapshot(s: SnapshotState): ExpectedSnapshot {
    return { ...s, probes: this.probesFor(s.family, s.extents) };
  }

  /** The most recent snapshot of a volume, if any. */
  latestSnapshotOf(volumeId: string): SnapshotState | undefined {
    return this.snapshotsOf(volumeId).at(-1);
  }

  /** Sum of live volume sizes: what provisioned capacity should follow. */
  provisionedGiB(): number {
    return this.volumes.reduce((sum, v) => sum + v.sizeGiB, 0);
  }
}

/** The driver-facing form of a model volume. */
export function driverVolume(v: VolumeState): DriverVolume {
  return v.providerLocation === undefined ? { id: v.id, sizeGiB: v.sizeGiB } : { id: v.id, sizeGiB: v.sizeGiB, providerLocation: v.providerLocation };
}

/** The driver-facing form of a model snapshot. */
export function driverSnapshot(s: SnapshotState): DriverSnapshot {
  const base = { id: s.id, volumeId: s.volumeId, sizeGiB: s.sizeGiB };
  return s.providerLocation === undefined ? base : { ...base, providerLocation: s.providerLocation };
}
