import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import { canSee } from '../../auth/policy.js';
import type { GroupSnapshotsTable, VolumeGroupsTable } from '../../db/area-tables.js';
import { findGroupSnapshot } from '../../db/repositories/group-snapshots.js';
import { findGroup } from '../../db/repositories/groups.js';
import type { Database } from '../../db/tables.js';

/** A group the caller may see. @throws GROUP_NOT_FOUND (never FORBIDDEN, so ids do not leak). */
export async function visibleGroup(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<VolumeGroupsTable> {
  const row = await findGroup(db, id);
  if (!row || !canSee(ctx, row.project_id)) throw new AshlarError('GROUP_NOT_FOUND', { details: { id } });
  return row;
}

/** A group snapshot the caller may see. @throws NOT_FOUND. */
export async function visibleGroupSnapshot(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<GroupSnapshotsTable> {
  const row = await findGroupSnapshot(db, id);
  if (!row || !canSee(ctx, row.project_id)) throw new AshlarError('NOT_FOUND', { details: { resource: 'GroupSnapshot', id } });
  return row;
}

/** The volume type ids a group's volumes may have. */
export function groupVolumeTypes(g: Pick<VolumeGroupsTable, 'volume_type_ids'>): string[] {
  return JSON.parse(g.volume_type_ids) as string[];
}
