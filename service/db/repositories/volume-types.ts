/** Queries on volume types, their access lists and the per-project default types (3.62). */
import type { Kysely } from 'kysely';
import type { Database, VolumeTypesTable } from '../tables.js';

type Db = Kysely<Database>;

/** A type by id. */
export function findType(db: Db, id: string): Promise<VolumeTypesTable | undefined> {
  return db.selectFrom('volume_types').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every type, oldest first. */
export function listTypes(db: Db): Promise<VolumeTypesTable[]> {
  return db.selectFrom('volume_types').selectAll().orderBy('created_at').execute();
}

/** Ids of the private types a project was given access to. */
export async function typeIdsAccessibleTo(db: Db, projectId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('volume_type_access').select('volume_type_id').where('project_id', '=', projectId).execute();
  return new Set(rows.map((r) => r.volume_type_id));
}

/** True when a type has this name. */
export async function typeNameTaken(db: Db, name: string): Promise<boolean> {
  return (await db.selectFrom('volume_types').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
}

/** Records a type. */
export async function insertType(db: Db, row: VolumeTypesTable): Promise<void> {
  await db.insertInto('volume_types').values(row).execute();
}

/** Writes columns of a type. */
export async function updateType(db: Db, id: string, set: Partial<Omit<VolumeTypesTable, 'id'>>): Promise<void> {
  await db.updateTable('volume_types').set(set).where('id', '=', id).execute();
}

/** True while a volume uses the type. */
export async function typeInUse(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('volumes').select('id').where('volume_type_id', '=', id).executeTakeFirst()) !== undefined;
}

/** Removes a type with its access list and the defaults that name it. */
export async function removeType(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('volume_type_access').where('volume_type_id', '=', id).execute();
    await trx.deleteFrom('default_types').where('volume_type_id', '=', id).execute();
    await trx.deleteFrom('volume_types').where('id', '=', id).execute();
  });
}

/** The projects given access to a private type. */
export async function typeAccessList(db: Db, id: string): Promise<string[]> {
  return (await db.selectFrom('volume_type_access').select('project_id').where('volume_type_id', '=', id).execute()).map((r) => r.project_id);
}

/** Grants a project access; false when it already had it. */
export async function addTypeAccess(db: Db, id: string, projectId: string): Promise<boolean> {
  const exists = await db.selectFrom('volume_type_access').select('project_id').where('volume_type_id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  if (exists) return false;
  await db.insertInto('volume_type_access').values({ volume_type_id: id, project_id: projectId }).execute();
  return true;
}

/** Revokes a project's access; false when it had none. */
export async function removeTypeAccess(db: Db, id: string, projectId: string): Promise<boolean> {
  const r = await db.deleteFrom('volume_type_access').where('volume_type_id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Sets a project's default type. */
export async function setDefaultType(db: Db, projectId: string, typeId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('default_types').where('project_id', '=', projectId).execute();
    await trx.insertInto('default_types').values({ project_id: projectId, volume_type_id: typeId }).execute();
  });
}

/** A project's default type id, if it has one. */
export async function defaultTypeIdOf(db: Db, projectId: string): Promise<string | undefined> {
  return (await db.selectFrom('default_types').select('volume_type_id').where('project_id', '=', projectId).executeTakeFirst())?.volume_type_id;
}

/** Every project's default type. */
export function allDefaultTypes(db: Db): Promise<{ project_id: string; volume_type_id: string }[]> {
  return db.selectFrom('default_types').select(['project_id', 'volume_type_id']).execute();
}

/** Forgets a project's default type. */
export async function clearDefaultType(db: Db, projectId: string): Promise<void> {
  await db.deleteFrom('default_types').where('project_id', '=', projectId).execute();
}
