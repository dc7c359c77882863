import type { Rule } from '../rules.js';

/**
 * The rules each check (`suite/check`, as reports name it) holds a driver to: every rule
 * here can make that check fail. The coverage test demands that every rule has a check and
 * that this table names exactly the checks the runner has.
 */
export const CHECK_RULES: Readonly<Record<string, readonly Rule[]>> = {
  'static/manifest valid': ['notSupported'],
  'static/declared capabilities are implemented': ['notSupported'],
  'static/implemented optional methods are declared': ['notSupported'],
  'static/undeclared capabilities are refused': ['notSupported'],
  'static/checkSetup is repeatable': ['setup'],
  'static/stats valid and consistent': ['stats'],
  'static/aborted calls settle promptly and leave nothing half-done': ['abort', 'noLeftovers'],
  'static/stats follow creates and deletes': ['statsProvisioned', 'statsRefresh'],
  'lifecycle/snapshots are point-in-time copies': ['snapshotFrozen', 'snapshotDelete', 'fromSnapshot', 'extend', 'abort'],
  'lifecycle/clones are independent copies': ['clone', 'connection'],
  'lifecycle/revert restores the snapshot, keeps the size and the snapshots': ['revert', 'notSupported', 'revertForeign'],
  'lifecycle/deleting a volume with snapshots follows the manifest': ['deleteBusy', 'deleteAllowed'],
  'lifecycle/state survives a restart': ['restart', 'createExists', 'snapshotDeleteIdempotent', 'noLeftovers'],
  'lifecycle/new volumes read as zeros': ['createFresh'],
  'lifecycle/deep paths hold: past 4 GiB, copies of extended volumes, lineage across restarts': ['extend', 'clone', 'fromSnapshot', 'revert', 'restart', 'snapshotFrozen', 'snapshotDelete', 'deleteOnly'],
  'lifecycle/a volume attached to several hosts works from each as the others detach': ['multiattach', 'detachOthers', 'terminate'],
  'lifecycle/an attached volume can be extended': ['onlineExtend'],
  'lifecycle/model': ['createFresh', 'deleteOnly', 'deleteIdempotent', 'extend', 'extendShrink', 'connection', 'terminate', 'snapshotFrozen', 'clone', 'fromSnapshot', 'revert', 'restart', 'volumeMissing', 'noLeftovers', 'coded'],
  'negative/hostile names are refused': ['names'],
  'negative/random hostile names are refused': ['names'],
  'negative/invalid sizes are refused': ['createSize', 'extendShrink'],
  'negative/unknown ids answer not-found': ['volumeMissing', 'snapshotMissing', 'extendMissing', 'deleteIdempotent', 'coded'],
  'negative/repeated calls are idempotent': ['extendSame', 'createExists', 'connection', 'snapshotExists', 'snapshotDeleteIdempotent', 'deleteIdempotent'],
  'negative/duplicate ids are refused and leave the existing resource untouched': ['createExists', 'cloneExists', 'fromSnapshotExists', 'snapshotExists', 'noLeftovers'],
  'negative/deletes touch only the named resource': ['deleteOnly', 'deleteIdempotent', 'snapshotDeleteIdempotent'],
  'negative/valid ids at the edges of the pattern work': ['names'],
  'negative/ids that look alike name different volumes': ['distinctIds', 'idReuse'],
  'negative/sizes of clones and volumes from snapshots are checked': ['cloneSize', 'fromSnapshotSize'],
  'negative/a 1 PiB create or extend is real or refused': ['capacity'],
  'negative/manage and unmanage keep data': ['manageList', 'manageKeeps', 'unmanage', 'unmanageGone', 'manageOnce'],
  'negative/references outside the backend are refused': ['manageRef'],
  'concurrency/parallel creates of different ids': ['concurrent'],
  'concurrency/parallel clones with a racing delete': ['concurrent', 'clone'],
  'replication/a replication target shows in stats': ['replicationStats'],
  'replication/failover with the primary down serves the last sync from the target': ['failover', 'failoverUnknown', 'failoverIdempotent', 'failoverCompleted', 'failoverRestart', 'deleteOnly'],
};

/** The rules a check holds a driver to (empty for an unknown check). */
export function rulesOfCheck(property: string): readonly Rule[] {
  return CHECK_RULES[property] ?? [];
}
