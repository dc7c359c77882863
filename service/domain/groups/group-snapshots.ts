import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { GroupSnapshotsTable, VolumeGroupsTable } from '../../db/area-tables.js';
import { insertGroupSnapshot, removeGroupSnapshotRow, snapshotsOfGroupSnapshot } from '../../db/repositories/group-snapshots.js';
import { volumesOfGroup } from '../../db/repositories/groups.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { createSnapshot } from '../snapshots/create-snapshot.js';
import { deleteSnapshot } from '../snapshots/delete-snapshot.js';
import { SNAPSHOT_DELETABLE } from '../snapshots/snapshot-states.js';
import { resetStatus, transition } from '../state-machine.js';
import { GROUP_DELETABLE, GROUP_SNAPSHOT_STATES } from './group-states.js';

const invalid = (resource: string, reason: string) => new AshlarError('INVALID_STATE', { details: { resource, reason } });

/**
 * Snapshots every volume of a group (the generic implementation: one ordinary snapshot per
 * volume, each carrying the group snapshot's id). The group snapshot is `creating` until
 * every snapshot is available (see `refreshGroupSnapshot`).
 *
 * @throws INVALID_STATE for the group's or a volume's status; QUOTA_EXCEEDED.
 */
export async function createGroupSnapshot(deps: DomainDeps, ctx: RequestContext, g: VolumeGroupsTable, req: { name?: string | null | undefined; description?: string | null | undefined }): Promise<GroupSnapshotsTable> {
  if (g.status !== 'available') throw invalid('group', `Group ${g.id} status must be available, not ${g.status}.`);
  const volumes = await volumesOfGroup(deps.db, g.id);
  for (const v of volumes) {
    if (!['available', 'in-use'].includes(v.status)) throw invalid('group', `Volume ${v.id} in group ${g.id} status must be available or in-use, not ${v.status}.`);
  }
  const row: GroupSnapshotsTable = {
    id: newId(), project_id: g.project_id, user_id: ctx.userId, group_id: g.id, group_type_id: g.group_type_id, name: req.name ?? null, description: req.description ?? null,
    status: volumes.length === 0 ? 'available' : 'creating', created_at: now(), updated_at: null,
  };
  await insertGroupSnapshot(deps.db, row);
  try {
    for (const v of volumes) await createSnapshot(deps, ctx, v, { name: row.name, description: row.description, metadata: {}, force: true, groupSnapshotId: row.id });
  } catch (err) {
    // The snapshots made so far stay listed under the group snapshot, which can be deleted.
    await resetStatus(deps.db, GROUP_SNAPSHOT_STATES, row.id, 'error');
    throw err;
  }
  return row;
}

/**
 * Deletes a group snapshot and its snapshots (each through the ordinary snapshot delete);
 * it stays `deleting` until the last snapshot is gone.
 *
 * @throws INVALID_STATE for its status or a snapshot's.
 */
export async function deleteGroupSnapshot(deps: DomainDeps, ctx: RequestContext, gs: GroupSnapshotsTable): Promise<void> {
  if (!(GROUP_DELETABLE as readonly string[]).includes(gs.status)) throw invalid('group snapshot', `Group snapshot status must be available or error, and no volume may be created from it, not ${gs.status}.`);
  const snaps = await snapshotsOfGroupSnapshot(deps.db, gs.id);
  for (const s of snaps) {
    if (!(SNAPSHOT_DELETABLE as readonly string[]).includes(s.status) && s.status !== 'deleting') throw invalid('group snapshot', `Snapshot ${s.id} status must be available or error, not ${s.status}.`);
  }
  if (snaps.length === 0) {
    await removeGroupSnapshotRow(deps.db, gs.id);
    return;
  }
  await transition(deps.db, GROUP_SNAPSHOT_STATES, { row: gs, from: GROUP_DELETABLE, to: 'deleting', action: 'delete' });
  try {
    for (const s of snaps) if (s.status !== 'deleting') await deleteSnapshot(deps, ctx, s, false);
  } catch (err) {
    await resetStatus(deps.db, GROUP_SNAPSHOT_STATES, gs.id, 'error_deleting');
    throw err;
  }
}
