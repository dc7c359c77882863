import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeGroupsTable } from '../../db/area-tables.js';
import { setVolumesGroup, updateGroupFields } from '../../db/repositories/groups.js';
import type { VolumesTable } from '../../db/tables.js';
import { now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { visibleVolume } from '../lookup.js';
import { groupVolumeTypes } from './visible.js';

/** What PUT /groups/{id} asks for; volume lists are Cinder's comma-separated ids. */
export interface GroupUpdate {
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly addVolumes?: string | null | undefined;
  readonly removeVolumes?: string | null | undefined;
}

const ids = (text: string | null | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const invalid = (reason: string) => new AshlarError('INVALID_STATE', { details: { resource: 'group', reason } });

/**
 * Renames or describes a group, and adds or removes volumes. Membership is a database fact
 * for the generic implementation, so it changes at once.
 *
 * @throws INVALID_STATE when the group is not available for a membership change, or a
 * volume cannot join or leave (status, type, another group); VOLUME_NOT_FOUND.
 */
export async function updateGroup(deps: DomainDeps, ctx: RequestContext, g: VolumeGroupsTable, u: GroupUpdate): Promise<void> {
  const add = ids(u.addVolumes);
  const remove = ids(u.removeVolumes);
  if (add.length + remove.length > 0 && g.status !== 'available') throw invalid(`Group ${g.id} status must be available to change its volumes, not ${g.status}.`);
  const both = add.filter((id) => remove.includes(id));
  if (both.length > 0) throw invalid(`Volume ${both[0]} cannot be added and removed at once.`);
  const types = groupVolumeTypes(g);
  const joining: VolumesTable[] = [];
  for (const id of add) {
    const v = await visibleVolume(deps.db, ctx, id);
    if (v.group_id) throw invalid(`Volume ${id} already belongs to group ${v.group_id}.`);
    if (!['available', 'in-use'].includes(v.status)) throw invalid(`Volume ${id} status must be available or in-use to join a group, not ${v.status}.`);
    if (!v.volume_type_id || !types.includes(v.volume_type_id)) throw invalid(`Volume ${id}'s type is not one of the group's volume types.`);
    if (v.project_id !== g.project_id) throw invalid(`Volume ${id} belongs to another project.`);
    joining.push(v);
  }
  for (const id of remove) {
    const v = await visibleVolume(deps.db, ctx, id);
    if (v.group_id !== g.id) throw invalid(`Volume ${id} is not in group ${g.id}.`);
    if (!['available', 'in-use', 'error', 'error_deleting'].includes(v.status)) throw invalid(`Volume ${id} status must be available, in-use, error or error_deleting to leave a group, not ${v.status}.`);
  }
  await deps.db.transaction().execute(async (trx) => {
    // A group still being created keeps updated_at empty: that is how refreshGroup knows the service is creating it.
    const set: { name?: string | null; description?: string | null; updated_at?: string } = g.status === 'creating' ? {} : { updated_at: now() };
    if (u.name !== undefined) set.name = u.name;
    if (u.description !== undefined) set.description = u.description;
    if (Object.keys(set).length > 0) await updateGroupFields(trx, g.id, set);
    await setVolumesGroup(trx, joining.map((v) => v.id), g.id);
    await setVolumesGroup(trx, remove, null);
  });
}
