import type { Rule } from '../rules.js';

/**
 * Which contract statements (anchors from contract-anchors.ts) each rule stands for. A rule
 * with no anchor is a consequence of several statements at once (e.g. concurrency); the
 * coverage test demands that every anchor is named here or in {@link UNCHECKED_ANCHORS}.
 */
export const RULE_ANCHORS: Readonly<Record<Rule, readonly string[]>> = {
  abort: ['CallArgs.signal'],
  coded: ['errors:registry'],
  createFresh: ['VolumeDriver.createVolume'],
  createExists: ['VolumeDriver.createVolume@idempotency', 'VolumeDriver.createVolume@throws VOLUME_EXISTS'],
  createSize: ['VolumeDriver.createVolume@throws INVALID_ARGUMENT'],
  capacity: ['VolumeDriver.createVolume@throws INSUFFICIENT_CAPACITY', 'VolumeDriver.extendVolume@throws INSUFFICIENT_CAPACITY', 'SnapshotCapable.createSnapshot@throws INSUFFICIENT_CAPACITY'],
  deleteOnly: ['VolumeDriver.deleteVolume'],
  deleteIdempotent: ['VolumeDriver.deleteVolume@idempotency'],
  deleteBusy: ['VolumeDriver.deleteVolume@throws VOLUME_BUSY', 'semantics.deleteVolumeWithSnapshots=busy'],
  deleteAllowed: ['semantics.deleteVolumeWithSnapshots=allowed'],
  extend: ['VolumeDriver.extendVolume'],
  extendShrink: ['VolumeDriver.extendVolume@throws INVALID_ARGUMENT'],
  extendMissing: ['VolumeDriver.extendVolume@throws VOLUME_NOT_FOUND'],
  connection: ['VolumeDriver.initializeConnection', 'VolumeDriver.initializeConnection@idempotency'],
  terminate: ['VolumeDriver.terminateConnection@idempotency'],
  stats: ['VolumeDriver.getStats', 'VolumeDriver.getStats@idempotency', 'schema:BackendStats'],
  statsProvisioned: ['schema:BackendStats'],
  statsRefresh: ['GetStatsArgs.refresh'],
  snapshotFrozen: ['SnapshotCapable.createSnapshot'],
  snapshotExists: ['SnapshotCapable.createSnapshot@idempotency', 'SnapshotCapable.createSnapshot@throws SNAPSHOT_EXISTS'],
  snapshotDelete: ['SnapshotCapable.deleteSnapshot', 'SnapshotCapable.deleteSnapshot@throws SNAPSHOT_BUSY'],
  fromSnapshot: ['SnapshotCapable.createVolumeFromSnapshot'],
  volumeMissing: ['VolumeDriver.initializeConnection@throws VOLUME_NOT_FOUND', 'SnapshotCapable.createSnapshot@throws VOLUME_NOT_FOUND', 'CloneCapable.createClonedVolume@throws VOLUME_NOT_FOUND', 'RevertCapable.revertToSnapshot@throws VOLUME_NOT_FOUND'],
  snapshotMissing: ['SnapshotCapable.createVolumeFromSnapshot@throws SNAPSHOT_NOT_FOUND', 'RevertCapable.revertToSnapshot@throws SNAPSHOT_NOT_FOUND'],
  fromSnapshotSize: ['SnapshotCapable.createVolumeFromSnapshot@throws INVALID_ARGUMENT'],
  clone: ['CloneCapable.createClonedVolume'],
  cloneSize: ['CloneCapable.createClonedVolume@throws INVALID_ARGUMENT'],
  revert: ['RevertCapable.revertToSnapshot', 'RevertCapable.revertToSnapshot@idempotency'],
  notSupported: ['manifest.capabilities'],
  manageList: ['ManageableVolume.safeToManage', 'ManageCapable.listManageableVolumes', 'ManageCapable.listManageableVolumes@idempotency', 'ManageCapable.manageExistingGetSize@idempotency'],
  manageKeeps: ['ManageCapable.manageExisting', 'ManageCapable.manageExistingGetSize'],
  unmanage: ['ManageCapable.unmanage'],
  manageRef: ['ManageCapable.manageExistingGetSize@throws MANAGE_TARGET_NOT_FOUND', 'ManageCapable.manageExistingGetSize@throws INVALID_ARGUMENT', 'ManageCapable.manageExisting@throws MANAGE_TARGET_NOT_FOUND'],
  names: ['schema:ResourceId', 'VolumeDriver.createVolume@throws INVALID_ARGUMENT'],
  setup: ['VolumeDriver.checkSetup', 'VolumeDriver.checkSetup@idempotency'],
  extendSame: ['VolumeDriver.extendVolume@idempotency'],
  detachOthers: ['VolumeDriver.terminateConnection'],
  cloneExists: ['CloneCapable.createClonedVolume@idempotency', 'CloneCapable.createClonedVolume@throws VOLUME_EXISTS'],
  fromSnapshotExists: ['SnapshotCapable.createVolumeFromSnapshot@idempotency', 'SnapshotCapable.createVolumeFromSnapshot@throws VOLUME_EXISTS'],
  snapshotDeleteIdempotent: ['SnapshotCapable.deleteSnapshot@idempotency'],
  revertForeign: ['RevertCapable.revertToSnapshot@throws INVALID_ARGUMENT'],
  unmanageGone: ['ManageCapable.unmanage@idempotency'],
  manageOnce: ['ManageCapable.manageExisting@idempotency'],
  multiattach: ['manifest.capabilities'],
  onlineExtend: ['manifest.capabilities'],
  noLeftovers: ['VolumeDriver.deleteVolume', 'VolumeDriver.close'],
  idReuse: ['VolumeDriver.createVolume', 'VolumeDriver.deleteVolume'],
  distinctIds: ['schema:ResourceId'],
  restart: ['DriverPlugin.create', 'VolumeDriver.close'],
  concurrent: [],
  replicationStats: ['schema:BackendStats'],
  failover: ['ReplicationCapable.failover'],
  failoverUnknown: ['ReplicationCapable.failover@throws INVALID_ARGUMENT'],
  failoverIdempotent: ['ReplicationCapable.failover@idempotency'],
  failoverCompleted: ['ReplicationCapable.failoverCompleted', 'ReplicationCapable.failoverCompleted@idempotency'],
  failoverRestart: ['ReplicationCapable.failover'],
};

/**
 * Contract statements no check holds a driver to, each with the reason. Listed in the
 * report's rule coverage as unchecked, so the gap is visible rather than silent.
 */
export const UNCHECKED_ANCHORS: readonly { readonly match: RegExp; readonly reason: string }[] = [
  { match: /^(GroupCapable|RetypeCapable|MigrateCapable)\./, reason: 'capability not exercised by this version of the runner (reported as skipped when declared)' },
  { match: /^semantics\.activeActive$/, reason: 'active-active (two instances on one backend) is not exercised by this version of the runner' },
  { match: /@throws (BACKEND_UNAVAILABLE|CONFIG_INVALID)$/, reason: 'conformance runs against a working backend and config; it has no generic way to break a vendor\'s backend or config' },
];

/** Why an anchor is unchecked, or undefined when checks must cover it. */
export function uncheckedReason(anchor: string): string | undefined {
  return UNCHECKED_ANCHORS.find((u) => u.match.test(anchor))?.reason;
}
