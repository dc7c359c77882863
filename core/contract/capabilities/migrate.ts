import type { CallArgs, DriverVolume } from '../types.js';

/** Args of {@link MigrateCapable.migrateVolume}. */
export interface MigrateVolumeArgs extends CallArgs {
  readonly volume: DriverVolume;
  /** The destination backend's `location_info` from its stats. */
  readonly destinationLocation: string;
}
/** Result of {@link MigrateCapable.migrateVolume}. */
export interface MigrateVolumeResult {
  /** False when the driver cannot move it itself; the core then copies generically. */
  readonly moved: boolean;
  readonly providerLocation?: string;
}

/**
 * Backend-assisted migration between backends the driver understands. Declared by `migrate`.
 *
 * @capability migrate
 * @since 1.0.0
 */
export interface MigrateCapable {
  /**
   * @idempotency Migrating to where the volume already is returns `moved: true`.
   * @throws VOLUME_NOT_FOUND when the volume does not exist.
   * @since 1.0.0
   */
  migrateVolume(args: MigrateVolumeArgs): Promise<MigrateVolumeResult>;
}
