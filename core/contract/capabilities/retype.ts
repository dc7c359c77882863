import type { CallArgs, DriverVolume, VolumeTypeRef } from '../types.js';

/** Args of {@link RetypeCapable.retype}. */
export interface RetypeArgs extends CallArgs {
  readonly volume: DriverVolume;
  readonly newType: VolumeTypeRef;
  /** Extra specs that differ: key → [old, new]. */
  readonly diff: Readonly<Record<string, readonly [string | null, string | null]>>;
}
/** Result of {@link RetypeCapable.retype}. */
export interface RetypeResult {
  /** False when the driver cannot retype in place; the core then migrates. */
  readonly retyped: boolean;
}

/**
 * Changing a volume's type in place. Declared by `retype`.
 *
 * @capability retype
 * @since 1.0.0
 */
export interface RetypeCapable {
  /**
   * @idempotency Retyping to the current type returns `retyped: true` without change.
   * @throws VOLUME_NOT_FOUND when the volume does not exist.
   * @since 1.0.0
   */
  retype(args: RetypeArgs): Promise<RetypeResult>;
}
