import type { BackendStats, CallArgs, ConnectionInfo, ConnectorProperties, DriverVolume } from './types.js';

/** Args of {@link VolumeDriver.checkSetup}. */
export interface CheckSetupArgs extends CallArgs {}
/** Result of {@link VolumeDriver.checkSetup}. */
export interface CheckSetupResult {}

/** Args of {@link VolumeDriver.getStats}. */
export interface GetStatsArgs extends CallArgs {
  /** Ask the backend now instead of returning a cached report. */
  readonly refresh: boolean;
}
/** Result of {@link VolumeDriver.getStats}. */
export interface GetStatsResult {
  readonly stats: BackendStats;
}

/** Args of {@link VolumeDriver.createVolume}. */
export interface CreateVolumeArgs extends CallArgs {
  /** The volume to create; `id` names it on the backend, `sizeGiB` is its size. */
  readonly volume: DriverVolume;
}
/** Result of {@link VolumeDriver.createVolume} and the other calls that create a volume. */
export interface CreateVolumeResult {
  /** Opaque location the core stores and passes back as `volume.providerLocation`. */
  readonly providerLocation?: string;
}

/** Args of {@link VolumeDriver.deleteVolume}. */
export interface DeleteVolumeArgs extends CallArgs {
  readonly volume: DriverVolume;
}
/** Result of {@link VolumeDriver.deleteVolume}. */
export interface DeleteVolumeResult {}

/** Args of {@link VolumeDriver.extendVolume}. */
export interface ExtendVolumeArgs extends CallArgs {
  /** The volume at its current size. */
  readonly volume: DriverVolume;
  /** The new size; must be larger than `volume.sizeGiB`. */
  readonly newSizeGiB: number;
}
/** Result of {@link VolumeDriver.extendVolume}. */
export interface ExtendVolumeResult {}

/** Args of {@link VolumeDriver.initializeConnection}. */
export interface InitializeConnectionArgs extends CallArgs {
  readonly volume: DriverVolume;
  /** The host that will attach the volume. */
  readonly connector: ConnectorProperties;
}
/** Result of {@link VolumeDriver.initializeConnection}. */
export interface InitializeConnectionResult {
  /** What a connector needs to reach the volume; its type is one of the manifest's protocols. */
  readonly connectionInfo: ConnectionInfo;
}

/** Args of {@link VolumeDriver.terminateConnection}. */
export interface TerminateConnectionArgs extends CallArgs {
  readonly volume: DriverVolume;
  /** The host to detach; absent means every host. */
  readonly connector?: ConnectorProperties | undefined;
}
/** Result of {@link VolumeDriver.terminateConnection}. */
export interface TerminateConnectionResult {}

/** Args of {@link VolumeDriver.close}. */
export interface CloseArgs extends CallArgs {}

/**
 * What every driver implements. The core never calls it directly: it goes through the
 * runtime wrapper, which validates arguments and results, gates optional calls and
 * applies time limits.
 *
 * @since 1.0.0
 */
export interface VolumeDriver {
  /**
   * Checks that the backend is reachable and configured as the driver needs (pools exist,
   * permissions suffice, tools are present). Called once after the driver is created.
   *
   * @required
   * @idempotency Safe to call repeatedly; changes nothing on the backend except creating
   * the driver's own bookkeeping area when missing.
   * @throws BACKEND_UNAVAILABLE when the backend cannot be reached.
   * @throws CONFIG_INVALID when the configuration names something the backend lacks.
   * @since 1.0.0
   */
  checkSetup(args: CheckSetupArgs): Promise<CheckSetupResult>;

  /**
   * Reports capacity and capabilities with Cinder's stats keys (backend-stats.schema.json).
   * `free_capacity_gb` never exceeds `total_capacity_gb`.
   *
   * @required
   * @idempotency Read-only.
   * @throws BACKEND_UNAVAILABLE when the backend cannot be asked.
   * @since 1.0.0
   */
  getStats(args: GetStatsArgs): Promise<GetStatsResult>;

  /**
   * Creates an empty volume of `volume.sizeGiB` whose contents read as zeros.
   *
   * @required
   * @idempotency Not idempotent: creating an id that exists fails with VOLUME_EXISTS and
   * leaves the existing volume untouched.
   * @throws VOLUME_EXISTS when the id is taken.
   * @throws INSUFFICIENT_CAPACITY when the backend has no room.
   * @throws INVALID_ARGUMENT for a malformed id or size.
   * @since 1.0.0
   */
  createVolume(args: CreateVolumeArgs): Promise<CreateVolumeResult>;

  /**
   * Deletes a volume and everything it occupies on the backend.
   *
   * @required
   * @idempotency Idempotent: deleting a volume that is already gone succeeds.
   * @throws VOLUME_BUSY when it has snapshots and the manifest declares
   * `semantics.deleteVolumeWithSnapshots: "busy"`.
   * @since 1.0.0
   */
  deleteVolume(args: DeleteVolumeArgs): Promise<DeleteVolumeResult>;

  /**
   * Grows a volume to `newSizeGiB`, keeping its data. Without the `onlineExtend`
   * capability the core only calls it on detached volumes.
   *
   * @required
   * @idempotency Extending to the size the volume already has succeeds without change.
   * @throws INVALID_ARGUMENT when `newSizeGiB` is smaller than the current size.
   * @throws VOLUME_NOT_FOUND when the volume does not exist.
   * @throws INSUFFICIENT_CAPACITY when the backend has no room.
   * @since 1.0.0
   */
  extendVolume(args: ExtendVolumeArgs): Promise<ExtendVolumeResult>;

  /**
   * Makes the volume reachable from the connector's host and says how to reach it.
   *
   * @required
   * @idempotency Callable repeatedly for the same host; every call returns usable info.
   * @throws VOLUME_NOT_FOUND when the volume does not exist.
   * @since 1.0.0
   */
  initializeConnection(args: InitializeConnectionArgs): Promise<InitializeConnectionResult>;

  /**
   * Revokes the host's access. With no connector, revokes every host's access.
   *
   * @required
   * @idempotency Idempotent: terminating a connection that does not exist succeeds.
   * @since 1.0.0
   */
  terminateConnection(args: TerminateConnectionArgs): Promise<TerminateConnectionResult>;

  /**
   * Releases what the driver holds (connections, child processes). Optional: a driver
   * holding nothing omits it.
   *
   * @optional
   * @since 1.0.0
   */
  close?(args: CloseArgs): Promise<void>;
}
