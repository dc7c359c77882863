import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { Database } from '../../db/tables.js';
import { groupVolumeTypes, visibleGroup } from './visible.js';

/**
 * The group a new volume may join (`group_id` of POST /volumes, 3.13): one the caller
 * sees, available, whose volume types include the volume's.
 *
 * @throws GROUP_NOT_FOUND; INVALID_STATE for the group's status or types.
 */
export async function groupForNewVolume(db: Kysely<Database>, ctx: RequestContext, groupId: string, typeId: string): Promise<string> {
  const g = await visibleGroup(db, ctx, groupId);
  if (g.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'group', reason: `Group ${g.id} status must be available, not ${g.status}.` } });
  if (!groupVolumeTypes(g).includes(typeId)) throw new AshlarError('INVALID_STATE', { details: { resource: 'group', reason: `Volume type ${typeId} is not one of the volume types of group ${g.id}.` } });
  return g.id;
}
