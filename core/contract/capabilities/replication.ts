import type { CallArgs, DriverVolume } from '../types.js';

/** Args of {@link ReplicationCapable.failover}. */
export interface FailoverArgs extends CallArgs {
  /** The replication target to fail over to; absent means the driver's default target. */
  readonly secondaryId?: string | undefined;
  /** The replicated volumes the core knows on this backend. */
  readonly volumes: readonly DriverVolume[];
}
/** Per-volume outcome of a failover. */
export interface VolumeFailoverUpdate {
  readonly volumeId: string;
  readonly replicationStatus: 'failed-over' | 'error';
  readonly providerLocation?: string;
}
/** Result of {@link ReplicationCapable.failover}. */
export interface FailoverResult {
  /** The backend id now serving the volumes. */
  readonly activeBackendId: string;
  readonly volumeUpdates: readonly VolumeFailoverUpdate[];
}
/** Args of {@link ReplicationCapable.failoverCompleted}. */
export interface FailoverCompletedArgs extends CallArgs {
  /** What failover returned on the node that ran it. */
  readonly activeBackendId: string;
}
/** Result of {@link ReplicationCapable.failoverCompleted}. */
export interface FailoverCompletedResult {}

/**
 * Replication with the active-active split: in a cluster, one node runs `failover`
 * (which does the backend work) and every node then runs `failoverCompleted` (which only
 * updates its in-memory view). Declared by `replication`.
 *
 * @capability replication
 * @since 1.0.0
 */
export interface ReplicationCapable {
  /**
   * Promotes the replication target and reports each volume's new state.
   *
   * @idempotency Failing over to the target already active succeeds without change.
   * @throws INVALID_ARGUMENT when `secondaryId` names no configured target.
   * @throws BACKEND_UNAVAILABLE when the target cannot be reached.
   * @since 1.0.0
   */
  failover(args: FailoverArgs): Promise<FailoverResult>;

  /**
   * Switches this driver instance to the backend another node failed over to. Must not
   * touch the backend.
   *
   * @idempotency Idempotent.
   * @since 1.0.0
   */
  failoverCompleted(args: FailoverCompletedArgs): Promise<FailoverCompletedResult>;
}
