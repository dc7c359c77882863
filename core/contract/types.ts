/**
 * The data types of the contract, generated from core/schemas (do not redefine them here).
 */
export type {
  BackendStats,
  PoolStats,
  Capacity,
  Capability,
  ConnectionInfo,
  LocalConnectionInfo,
  RbdConnectionInfo,
  IscsiConnectionInfo,
  HostDeviceConnectionInfo,
  ConnectorProperties,
  DriverManifest,
  DriverSnapshot,
  DriverVolume,
  VolumeTypeRef,
  ResourceId,
  SizeGiB,
  Metadata,
} from '../generated/schemas.js';

/** Every driver call carries a signal; aborting it must stop backend work promptly. */
export interface CallArgs {
  /** Aborted when the caller gives up or the call's time limit passes. */
  readonly signal: AbortSignal;
}
