import type { CallArgs, DriverVolume } from '../types.js';
import type { CreateVolumeResult } from '../volume-driver.js';

/** Args of {@link CloneCapable.createClonedVolume}. */
export interface CreateClonedVolumeArgs extends CallArgs {
  /** The new volume; its size is at least the source's. */
  readonly volume: DriverVolume;
  readonly source: DriverVolume;
}

/**
 * Volume-to-volume clones. Declared by the `clone` capability.
 *
 * @capability clone
 * @since 1.0.0
 */
export interface CloneCapable {
  /**
   * Creates a volume holding the source's current data. The two are isolated afterwards:
   * writes to either never show in the other, and deleting the source never breaks the
   * clone. Clones of one source may run concurrently (the core holds a shared lock on the
   * source), so the implementation must be safe under parallel calls.
   *
   * @idempotency Not idempotent: an existing volume id fails with VOLUME_EXISTS.
   * @throws VOLUME_NOT_FOUND when the source does not exist.
   * @throws VOLUME_EXISTS when the id is taken.
   * @throws INVALID_ARGUMENT when the new volume is smaller than the source.
   * @since 1.0.0
   */
  createClonedVolume(args: CreateClonedVolumeArgs): Promise<CreateVolumeResult>;
}
