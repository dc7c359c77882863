/**
 * The contract rules conformance checks, worded after the TSDoc of core/contract, so that a
 * failure names the rule it broke and where to read it. Keys are stable (reports, fixtures
 * and the coverage test use them); texts may improve. Which contract statements each rule
 * stands for is in coverage/rule-anchors.ts, which checks hold drivers to it in
 * coverage/check-rules.ts.
 */
export const RULES = {
  abort: 'contract CallArgs.signal: aborting it must stop backend work promptly',
  coded: 'contract: every driver error carries a code from core/errors/registry.ts (AshlarError), never a plain Error',
  createFresh: 'contract VolumeDriver.createVolume: creates an empty volume of volume.sizeGiB whose contents read as zeros',
  createExists: 'contract VolumeDriver.createVolume @idempotency: creating an id that exists fails with VOLUME_EXISTS and leaves the existing volume untouched',
  createSize: 'contract VolumeDriver.createVolume @throws: INVALID_ARGUMENT for a malformed id or size (whole GiB from 1 to 1048576)',
  capacity: 'contract VolumeDriver.createVolume/extendVolume @throws: INSUFFICIENT_CAPACITY when the backend has no room — otherwise the call must really succeed',
  deleteOnly: 'contract VolumeDriver.deleteVolume: deletes that volume and everything it occupies — and nothing else',
  deleteIdempotent: 'contract VolumeDriver.deleteVolume @idempotency: deleting a volume that is already gone succeeds',
  deleteBusy: 'manifest semantics.deleteVolumeWithSnapshots "busy": deleting a volume that has snapshots fails with VOLUME_BUSY',
  deleteAllowed: 'manifest semantics.deleteVolumeWithSnapshots "allowed": deleting a volume that has snapshots succeeds and the snapshots stay usable',
  extend: 'contract VolumeDriver.extendVolume: grows the volume to newSizeGiB, keeping its data',
  extendShrink: 'contract VolumeDriver.extendVolume @throws: INVALID_ARGUMENT when newSizeGiB is smaller than the current size',
  extendMissing: 'contract VolumeDriver.extendVolume @throws: VOLUME_NOT_FOUND when the volume does not exist (and nothing is created)',
  connection: 'contract VolumeDriver.initializeConnection: returns what a connector needs to reach THIS volume; callable repeatedly',
  terminate: 'contract VolumeDriver.terminateConnection @idempotency: terminating a connection that does not exist succeeds',
  stats: 'contract VolumeDriver.getStats: Cinder stats keys, schema-valid (backend-stats.schema.json), free_capacity_gb never above total_capacity_gb',
  statsProvisioned: 'backend-stats.schema.json provisioned_capacity_gb: the sum of the sizes of the volumes on the backend',
  statsRefresh: 'contract GetStatsArgs.refresh: ask the backend now instead of returning a cached report',
  snapshotFrozen: 'contract SnapshotCapable.createSnapshot: later writes to the volume never show in the snapshot, and nothing written elsewhere changes it',
  snapshotExists: 'contract SnapshotCapable.createSnapshot @idempotency: an existing snapshot id fails with SNAPSHOT_EXISTS',
  snapshotDelete: 'contract SnapshotCapable.deleteSnapshot: deletes that snapshot; its volume and volumes created from it keep their data',
  fromSnapshot: 'contract SnapshotCapable.createVolumeFromSnapshot: the volume holds the snapshot\'s data, zeros beyond it, and is independent of the snapshot',
  volumeMissing: 'contract: an operation on a volume that does not exist fails with VOLUME_NOT_FOUND (deletes and terminates succeed)',
  snapshotMissing: 'contract SnapshotCapable/RevertCapable @throws: SNAPSHOT_NOT_FOUND when the snapshot does not exist (deleteSnapshot succeeds)',
  fromSnapshotSize: 'contract SnapshotCapable.createVolumeFromSnapshot @throws: INVALID_ARGUMENT when the volume is smaller than the snapshot',
  clone: 'contract CloneCapable.createClonedVolume: the clone holds the source\'s data; writes to either never show in the other; deleting the source never breaks the clone',
  cloneSize: 'contract CloneCapable.createClonedVolume @throws: INVALID_ARGUMENT when the new volume is smaller than the source',
  revert: 'contract RevertCapable.revertToSnapshot: restores the snapshot\'s contents; the snapshot survives unchanged; a volume larger than the snapshot keeps its size',
  notSupported: 'manifest.capabilities: a declared capability never answers NOT_SUPPORTED',
  manageList: 'contract ManageableVolume.safeToManage: false when it cannot be managed (already managed, in use, wrong kind)',
  manageKeeps: 'contract ManageCapable.manageExisting: afterwards every volume call works on it and its data is unchanged',
  unmanage: 'contract ManageCapable.unmanage: forgets the volume without deleting its data; the object becomes manageable again',
  manageRef: 'contract ManageCapable.manageExistingGetSize/manageExisting @throws: MANAGE_TARGET_NOT_FOUND or INVALID_ARGUMENT for a reference that names nothing manageable of this backend',
  names: 'contract names.ts ResourceId: ids outside ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ never reach a backend (INVALID_ARGUMENT)',
  setup: 'contract VolumeDriver.checkSetup @idempotency: succeeds on a working backend and is safe to call repeatedly',
  extendSame: 'contract VolumeDriver.extendVolume @idempotency: extending to the size the volume already has succeeds without change',
  detachOthers: 'contract VolumeDriver.terminateConnection: revokes that host\'s access only; every other host\'s connection keeps working',
  cloneExists: 'contract CloneCapable.createClonedVolume @idempotency: an existing volume id fails with VOLUME_EXISTS',
  fromSnapshotExists: 'contract SnapshotCapable.createVolumeFromSnapshot @idempotency: an existing volume id fails with VOLUME_EXISTS',
  snapshotDeleteIdempotent: 'contract SnapshotCapable.deleteSnapshot @idempotency: deleting a snapshot that is already gone succeeds',
  revertForeign: 'contract RevertCapable.revertToSnapshot @throws: INVALID_ARGUMENT when the snapshot belongs to another volume (and the volume is left untouched)',
  unmanageGone: 'contract ManageCapable.unmanage @idempotency: unmanaging a volume that is gone succeeds',
  manageOnce: 'contract ManageCapable.manageExisting @idempotency: the object is no longer manageable afterwards',
  multiattach: 'manifest capability "multiattach": a volume may be attached to several hosts at once, each seeing the same data',
  onlineExtend: 'manifest capability "onlineExtend": extending an attached volume works and the host keeps its data path',
  noLeftovers: 'contract VolumeDriver.deleteVolume/close: once everything a run created is deleted and the instance closed, nothing it made is left on the backend (no temp files, locks or orphans)',
  idReuse: 'contract VolumeDriver.deleteVolume + createVolume: an id re-created right after its delete is a new, empty volume with no trace of the old one',
  distinctIds: 'contract names.ts ResourceId: ids are case-sensitive and compared whole; two different valid ids never name the same backend object',
  restart: 'contract DriverPlugin.create: a new instance on the same backend and config sees everything as it was (state lives on the backend)',
  concurrent: 'contract: calls on different resources may run concurrently; each behaves as if it ran alone',
} as const;

/** A rule key. */
export type Rule = keyof typeof RULES;
