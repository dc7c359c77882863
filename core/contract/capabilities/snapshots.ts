import type { CallArgs, DriverSnapshot, DriverVolume } from '../types.js';
import type { CreateVolumeResult } from '../volume-driver.js';

/** Args of {@link SnapshotCapable.createSnapshot}. */
export interface CreateSnapshotArgs extends CallArgs {
  readonly snapshot: DriverSnapshot;
  /** The volume the snapshot is taken of. */
  readonly volume: DriverVolume;
}
/** Result of {@link SnapshotCapable.createSnapshot}. */
export interface CreateSnapshotResult {
  readonly providerLocation?: string;
}
/** Args of {@link SnapshotCapable.deleteSnapshot}. */
export interface DeleteSnapshotArgs extends CallArgs {
  readonly snapshot: DriverSnapshot;
}
/** Result of {@link SnapshotCapable.deleteSnapshot}. */
export interface DeleteSnapshotResult {}
/** Args of {@link SnapshotCapable.createVolumeFromSnapshot}. */
export interface CreateVolumeFromSnapshotArgs extends CallArgs {
  /** The new volume; its size is at least the snapshot's. */
  readonly volume: DriverVolume;
  readonly snapshot: DriverSnapshot;
}

/**
 * Point-in-time snapshots. Declared by the `snapshots` capability.
 *
 * @capability snapshots
 * @since 1.0.0
 */
export interface SnapshotCapable {
  /**
   * Captures the volume's current contents. Later writes to the volume never show in the
   * snapshot, and nothing written elsewhere changes it.
   *
   * @idempotency Not idempotent: an existing snapshot id fails with SNAPSHOT_EXISTS.
   * @throws VOLUME_NOT_FOUND when the source volume does not exist.
   * @throws SNAPSHOT_EXISTS when the id is taken.
   * @throws INSUFFICIENT_CAPACITY when the backend has no room.
   * @since 1.0.0
   */
  createSnapshot(args: CreateSnapshotArgs): Promise<CreateSnapshotResult>;

  /**
   * Deletes a snapshot. Volumes created from it keep their data.
   *
   * @idempotency Idempotent: deleting a snapshot that is already gone succeeds.
   * @throws SNAPSHOT_BUSY when the backend cannot delete it while dependants exist (a
   * driver should avoid this, e.g. by flattening).
   * @since 1.0.0
   */
  deleteSnapshot(args: DeleteSnapshotArgs): Promise<DeleteSnapshotResult>;

  /**
   * Creates a volume holding the snapshot's data; when the volume is larger than the
   * snapshot, the extra space reads as zeros. The new volume is independent of the snapshot.
   *
   * @idempotency Not idempotent: an existing volume id fails with VOLUME_EXISTS.
   * @throws SNAPSHOT_NOT_FOUND when the snapshot does not exist.
   * @throws VOLUME_EXISTS when the id is taken.
   * @throws INVALID_ARGUMENT when the volume is smaller than the snapshot.
   * @since 1.0.0
   */
  createVolumeFromSnapshot(args: CreateVolumeFromSnapshotArgs): Promise<CreateVolumeResult>;
}
