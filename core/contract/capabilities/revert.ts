import type { CallArgs, DriverSnapshot, DriverVolume } from '../types.js';

/** Args of {@link RevertCapable.revertToSnapshot}. */
export interface RevertToSnapshotArgs extends CallArgs {
  readonly volume: DriverVolume;
  /** A snapshot of `volume`; the core only passes the volume's latest snapshot, as Cinder does. */
  readonly snapshot: DriverSnapshot;
}
/** Result of {@link RevertCapable.revertToSnapshot}. */
export interface RevertToSnapshotResult {}

/**
 * Reverting a volume in place to one of its snapshots. Declared by `revertToSnapshot`.
 *
 * @capability revertToSnapshot
 * @since 1.0.0
 */
export interface RevertCapable {
  /**
   * Restores the volume's contents to the snapshot's. The snapshot itself survives and
   * is unchanged. When the snapshot is smaller than the volume, the volume keeps its size.
   *
   * @idempotency Reverting twice to the same snapshot leaves the same contents.
   * @throws VOLUME_NOT_FOUND or SNAPSHOT_NOT_FOUND when either is missing.
   * @throws INVALID_ARGUMENT when the snapshot belongs to another volume.
   * @since 1.0.0
   */
  revertToSnapshot(args: RevertToSnapshotArgs): Promise<RevertToSnapshotResult>;
}
