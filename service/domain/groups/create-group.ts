import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeGroupsTable } from '../../db/area-tables.js';
import { insertGroup } from '../../db/repositories/groups.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { usableType } from '../lookup.js';
import { usableGroupType } from './group-types.js';

/** What POST /groups asks for. */
export interface GroupRequest {
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly groupType: string;
  readonly volumeTypes: readonly string[];
  readonly availabilityZone?: string | null | undefined;
}

/**
 * Creates an empty generic group. Without a driver `groups` capability there is nothing to
 * create on a backend (Cinder's generic implementation), so the group is available at once.
 *
 * @throws NOT_FOUND (group type, volume type); BAD_REQUEST without volume types.
 */
export async function createGroup(deps: DomainDeps, ctx: RequestContext, req: GroupRequest): Promise<VolumeGroupsTable> {
  const groupType = await usableGroupType(deps.db, ctx, req.groupType);
  if (req.volumeTypes.length === 0) throw new AshlarError('BAD_REQUEST', { details: { reason: 'volume_types must be provided to create group.' } });
  const typeIds: string[] = [];
  for (const t of req.volumeTypes) typeIds.push((await usableType(deps.db, ctx, t)).id);
  const row: VolumeGroupsTable = {
    id: newId(),
    project_id: ctx.projectId,
    user_id: ctx.userId,
    name: req.name ?? null,
    description: req.description ?? null,
    status: 'available',
    availability_zone: req.availabilityZone ?? deps.config.defaultAvailabilityZone,
    group_type_id: groupType.id,
    volume_type_ids: JSON.stringify([...new Set(typeIds)]),
    group_snapshot_id: null,
    source_group_id: null,
    created_at: now(),
    updated_at: null,
  };
  await insertGroup(deps.db, row);
  return row;
}
