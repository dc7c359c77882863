import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeGroupsTable } from '../../db/area-tables.js';
import { groupHasSnapshots, removeGroupRow, volumesOfGroup } from '../../db/repositories/groups.js';
import { snapshotsOfVolume } from '../../db/repositories/volumes.js';
import type { DomainDeps } from '../deps.js';
import { resetStatus, transition } from '../state-machine.js';
import { deleteVolume } from '../volumes/delete-volume.js';
import { VOLUME_DELETABLE } from '../volumes/volume-states.js';
import { GROUP_DELETABLE, GROUP_STATES } from './group-states.js';

const invalid = (reason: string) => new AshlarError('INVALID_STATE', { details: { resource: 'group', reason } });

/**
 * Deletes a group; with `deleteVolumes`, its volumes too, each through the ordinary volume
 * delete (the generic implementation). The group stays `deleting` until its last volume is
 * gone (see `refreshGroup`); an empty group goes at once.
 *
 * @throws INVALID_STATE when the group's status, group snapshots or volumes forbid it.
 */
export async function deleteGroup(deps: DomainDeps, ctx: RequestContext, g: VolumeGroupsTable, deleteVolumes: boolean): Promise<void> {
  const { db } = deps;
  if (!(GROUP_DELETABLE as readonly string[]).includes(g.status)) throw invalid(`Group status must be available or error, but current status is: ${g.status}.`);
  if (await groupHasSnapshots(db, g.id)) throw invalid(`Group ${g.id} has existing snapshots.`);
  const volumes = await volumesOfGroup(db, g.id);
  if (volumes.length > 0 && !deleteVolumes) throw invalid(`Group ${g.id} still contains volumes. The delete-volumes flag is required to delete it.`);
  for (const v of volumes) {
    if (v.attach_status === 'attached') throw invalid(`Volume ${v.id} in group ${g.id} is attached. Need to detach first.`);
    if (!(VOLUME_DELETABLE as readonly string[]).includes(v.status) && v.status !== 'deleting') throw invalid(`Volume ${v.id} status must be available or error, not ${v.status}.`);
    if ((await snapshotsOfVolume(db, v.id)).length > 0) throw invalid(`Volume ${v.id} in group ${g.id} still has dependent snapshots.`);
  }
  if (volumes.length === 0) {
    await removeGroupRow(db, g.id);
    return;
  }
  await transition(db, GROUP_STATES, { row: g, from: GROUP_DELETABLE, to: 'deleting', action: 'delete' });
  try {
    for (const v of volumes) if (v.status !== 'deleting') await deleteVolume(deps, ctx, v, { force: false, cascade: false });
  } catch (err) {
    // A volume changed under us: the group is not whole any more, as a failed delete leaves it in Cinder.
    await resetStatus(db, GROUP_STATES, g.id, 'error_deleting');
    throw err;
  }
}
