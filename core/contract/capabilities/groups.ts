import type { CallArgs, DriverSnapshot, DriverVolume } from '../types.js';

/** A generic volume group as a driver sees it. */
export interface DriverGroup {
  readonly id: string;
  /** Group type specs, e.g. `consistent_group_snapshot_enabled`. */
  readonly groupSpecs: Readonly<Record<string, string>>;
}
/** Args of {@link GroupCapable.createGroup}. */
export interface CreateGroupArgs extends CallArgs {
  readonly group: DriverGroup;
}
/** Args of {@link GroupCapable.deleteGroup}. */
export interface DeleteGroupArgs extends CallArgs {
  readonly group: DriverGroup;
  /** Volumes in the group, deleted with it. */
  readonly volumes: readonly DriverVolume[];
}
/** Args of {@link GroupCapable.updateGroup}. */
export interface UpdateGroupArgs extends CallArgs {
  readonly group: DriverGroup;
  readonly addVolumes: readonly DriverVolume[];
  readonly removeVolumes: readonly DriverVolume[];
}
/** Args of {@link GroupCapable.createGroupSnapshot}. */
export interface CreateGroupSnapshotArgs extends CallArgs {
  readonly groupSnapshotId: string;
  readonly group: DriverGroup;
  /** One snapshot per volume of the group, taken at one consistent point. */
  readonly snapshots: readonly { readonly snapshot: DriverSnapshot; readonly volume: DriverVolume }[];
}
/** Args of {@link GroupCapable.deleteGroupSnapshot}. */
export interface DeleteGroupSnapshotArgs extends CallArgs {
  readonly groupSnapshotId: string;
  readonly snapshots: readonly DriverSnapshot[];
}
/** Result of the group calls. */
export interface GroupResult {}

/**
 * Generic volume groups and group snapshots (consistency groups). Declared by `groups`.
 *
 * @capability groups
 * @since 1.0.0
 */
export interface GroupCapable {
  /**
   * @idempotency Creating an existing group id fails with INVALID_ARGUMENT.
   * @since 1.0.0
   */
  createGroup(args: CreateGroupArgs): Promise<GroupResult>;
  /**
   * Deletes the group and its volumes.
   * @idempotency Idempotent.
   * @since 1.0.0
   */
  deleteGroup(args: DeleteGroupArgs): Promise<GroupResult>;
  /**
   * @idempotency Adding a member twice or removing a non-member succeeds without change.
   * @since 1.0.0
   */
  updateGroup(args: UpdateGroupArgs): Promise<GroupResult>;
  /**
   * Snapshots every volume of the group at one consistent point.
   * @throws GROUP_NOT_FOUND when the group does not exist.
   * @since 1.0.0
   */
  createGroupSnapshot(args: CreateGroupSnapshotArgs): Promise<GroupResult>;
  /**
   * @idempotency Idempotent.
   * @since 1.0.0
   */
  deleteGroupSnapshot(args: DeleteGroupSnapshotArgs): Promise<GroupResult>;
}
