import type { Kysely } from 'kysely';
import { hasErrorCode } from '../../../core/errors/ashlar-error.js';
import type { GroupSnapshotsTable, VolumeGroupsTable } from '../../db/area-tables.js';
import { findGroupSnapshot, removeGroupSnapshotRow, snapshotsOfGroupSnapshot } from '../../db/repositories/group-snapshots.js';
import { findGroup, removeGroupRow, volumesOfGroup } from '../../db/repositories/groups.js';
import type { Database } from '../../db/tables.js';
import { transition } from '../state-machine.js';
import { GROUP_SNAPSHOT_STATES, GROUP_STATES, type GroupStatus } from './group-states.js';

/** What the members' statuses say the whole should move to, if anything. */
function settled(row: { status: string; updated_at: string | null }, members: readonly string[], done: readonly string[]): GroupStatus | 'gone' | undefined {
  const { status } = row;
  // A row the service created has never been updated; `creating` set by reset_status is an
  // administrator's override and stays until the next reset, as in Cinder.
  if (status === 'creating' && row.updated_at === null) {
    if (members.some((s) => s.startsWith('error'))) return 'error';
    return members.every((s) => done.includes(s)) ? 'available' : undefined;
  }
  if (status === 'deleting') {
    if (members.length === 0) return 'gone';
    return members.some((s) => s === 'error_deleting') ? 'error_deleting' : undefined;
  }
  return undefined;
}

/**
 * A group as its members make it: the generic implementation (no driver `groups`
 * capability) creates and deletes a group through per-volume work, so a `creating` group
 * becomes `available` once every volume is, and a `deleting` group is gone once its last
 * volume is. Computed when read, so it survives restarts and needs no work of its own.
 * Returns undefined when the group is gone.
 */
export async function refreshGroup(db: Kysely<Database>, g: VolumeGroupsTable): Promise<VolumeGroupsTable | undefined> {
  if (g.status !== 'creating' && g.status !== 'deleting') return g;
  const members = (await volumesOfGroup(db, g.id)).map((v) => v.status);
  const next = settled(g, members, ['available', 'in-use']);
  if (next === undefined) return g;
  if (next === 'gone') {
    await removeGroupRow(db, g.id);
    return undefined;
  }
  await moveQuietly(() => transition(db, GROUP_STATES, { row: g, from: [g.status as GroupStatus], to: next, action: 'settle from members' }));
  return findGroup(db, g.id);
}

/** A group snapshot as its snapshots make it (see {@link refreshGroup}). Undefined when gone. */
export async function refreshGroupSnapshot(db: Kysely<Database>, gs: GroupSnapshotsTable): Promise<GroupSnapshotsTable | undefined> {
  if (gs.status !== 'creating' && gs.status !== 'deleting') return gs;
  const members = (await snapshotsOfGroupSnapshot(db, gs.id)).map((s) => s.status);
  const next = settled(gs, members, ['available']);
  if (next === undefined) return gs;
  if (next === 'gone') {
    await removeGroupSnapshotRow(db, gs.id);
    return undefined;
  }
  await moveQuietly(() => transition(db, GROUP_SNAPSHOT_STATES, { row: gs, from: [gs.status as GroupStatus], to: next, action: 'settle from snapshots' }));
  return findGroupSnapshot(db, gs.id);
}

/** Another reader may settle the same row first; that is the same outcome. */
async function moveQuietly(move: () => Promise<void>): Promise<void> {
  try {
    await move();
  } catch (err) {
    if (!hasErrorCode(err, 'INVALID_STATE')) throw err;
  }
}
