import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeGroupsTable } from '../../db/area-tables.js';
import { snapshotsOfGroupSnapshot } from '../../db/repositories/group-snapshots.js';
import { insertGroup, volumesOfGroup } from '../../db/repositories/groups.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { resetStatus } from '../state-machine.js';
import { createVolume } from '../volumes/create-volume.js';
import { GROUP_STATES } from './group-states.js';
import { visibleGroup, visibleGroupSnapshot } from './visible.js';

/** What the create-from-src action asks for: exactly one source. */
export interface GroupFromSourceRequest {
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly groupSnapshotId?: string | null | undefined;
  readonly sourceGroupId?: string | null | undefined;
}

/** One volume to make for the new group: a clone of a volume or a volume from a snapshot. */
interface Member {
  readonly source: { readonly source_volid: string } | { readonly snapshot_id: string };
  readonly size: number;
  readonly typeId: string | null;
  readonly name: string | null;
}

const invalid = (reason: string) => new AshlarError('INVALID_STATE', { details: { resource: 'group', reason } });

/**
 * Creates a group from a group snapshot or from another group (3.14): a new group of the
 * same group type and volume types, with one volume per source snapshot or volume made by
 * the ordinary volume create (the generic implementation). The group is `creating` until
 * every volume is available (see `refreshGroup`).
 *
 * @throws BAD_REQUEST unless exactly one source is given; GROUP_NOT_FOUND / NOT_FOUND;
 * INVALID_STATE for a source's status.
 */
export async function createGroupFromSource(deps: DomainDeps, ctx: RequestContext, req: GroupFromSourceRequest): Promise<VolumeGroupsTable> {
  if (!req.groupSnapshotId === !req.sourceGroupId) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Either group_snapshot_id or source_group_id must be provided, not both.' } });
  const { template, members } = req.groupSnapshotId ? await fromSnapshot(deps, ctx, req.groupSnapshotId) : await fromGroup(deps, ctx, req.sourceGroupId!);
  const row: VolumeGroupsTable = {
    ...template,
    id: newId(), project_id: ctx.projectId, user_id: ctx.userId, name: req.name ?? null, description: req.description ?? null,
    status: members.length === 0 ? 'available' : 'creating',
    group_snapshot_id: req.groupSnapshotId ?? null, source_group_id: req.sourceGroupId ?? null, created_at: now(), updated_at: null,
  };
  await insertGroup(deps.db, row);
  try {
    for (const m of members) {
      await createVolume(deps, ctx, { ...m.source, size: m.size, name: m.name, ...(m.typeId ? { volume_type: m.typeId } : {}) }, { groupId: row.id });
    }
  } catch (err) {
    await resetStatus(deps.db, GROUP_STATES, row.id, 'error');
    throw err;
  }
  return row;
}

async function fromSnapshot(deps: DomainDeps, ctx: RequestContext, id: string): Promise<{ template: VolumeGroupsTable; members: Member[] }> {
  const gs = await visibleGroupSnapshot(deps.db, ctx, id);
  if (gs.status !== 'available') throw invalid(`Group snapshot ${id} status must be available, not ${gs.status}.`);
  const template = await visibleGroup(deps.db, { ...ctx, isAdmin: true }, gs.group_id);
  const snaps = await snapshotsOfGroupSnapshot(deps.db, gs.id);
  const volumes = new Map((await volumesOfGroup(deps.db, gs.group_id)).map((v) => [v.id, v]));
  return { template, members: snaps.map((s) => ({ source: { snapshot_id: s.id }, size: s.size, typeId: volumes.get(s.volume_id)?.volume_type_id ?? null, name: s.name })) };
}

async function fromGroup(deps: DomainDeps, ctx: RequestContext, id: string): Promise<{ template: VolumeGroupsTable; members: Member[] }> {
  const source = await visibleGroup(deps.db, ctx, id);
  if (source.status !== 'available') throw invalid(`Source group ${id} status must be available, not ${source.status}.`);
  const volumes = await volumesOfGroup(deps.db, source.id);
  for (const v of volumes) if (!['available', 'in-use'].includes(v.status)) throw invalid(`Volume ${v.id} of source group ${id} status must be available or in-use, not ${v.status}.`);
  return { template: source, members: volumes.map((v) => ({ source: { source_volid: v.id }, size: v.size, typeId: v.volume_type_id, name: v.name })) };
}
