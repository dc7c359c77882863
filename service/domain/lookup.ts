import type { Kysely } from 'kysely';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { RequestContext } from '../auth/context.js';
import { canSee } from '../auth/policy.js';
import type { Database, SnapshotsTable, VolumeTypesTable, VolumesTable } from '../db/tables.js';

/** A volume the caller may see. @throws NOT_FOUND (never FORBIDDEN, so ids do not leak). */
export async function visibleVolume(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<VolumesTable> {
  const row = await db.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !canSee(ctx, row.project_id)) throw new AshlarError('VOLUME_NOT_FOUND', { details: { id } });
  return row;
}

/** A snapshot the caller may see. @throws NOT_FOUND. */
export async function visibleSnapshot(db: Kysely<Database>, ctx: RequestContext, id: string): Promise<SnapshotsTable> {
  const row = await db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !canSee(ctx, row.project_id)) throw new AshlarError('SNAPSHOT_NOT_FOUND', { details: { id } });
  return row;
}

/**
 * A volume type by id or name that the caller may use: public types, private types the
 * project has access to, and every type for administrators.
 */
export async function usableType(db: Kysely<Database>, ctx: RequestContext, idOrName: string): Promise<VolumeTypesTable> {
  const row = (await db.selectFrom('volume_types').selectAll().where('id', '=', idOrName).executeTakeFirst()) ?? (await db.selectFrom('volume_types').selectAll().where('name', '=', idOrName).executeTakeFirst());
  if (row && (row.is_public === 1 || ctx.isAdmin)) return row;
  if (row) {
    const access = await db.selectFrom('volume_type_access').select('project_id').where('volume_type_id', '=', row.id).where('project_id', '=', ctx.projectId).executeTakeFirst();
    if (access) return row;
  }
  throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume type', id: idOrName } });
}

/** The type a new volume gets when none is named: the project's default (3.62), else the configured default. */
export async function defaultType(db: Kysely<Database>, projectId: string, configured: string): Promise<VolumeTypesTable> {
  const perProject = await db.selectFrom('default_types').innerJoin('volume_types', 'volume_types.id', 'default_types.volume_type_id').selectAll('volume_types').where('default_types.project_id', '=', projectId).executeTakeFirst();
  if (perProject) return perProject;
  const row = await db.selectFrom('volume_types').selectAll().where('name', '=', configured).executeTakeFirst();
  if (!row) throw new AshlarError('NOT_FOUND', { details: { resource: 'Default volume type', id: configured } });
  return row;
}
