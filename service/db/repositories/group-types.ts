/** Queries on group types and their group specs. */
import type { Kysely } from 'kysely';
import type { GroupTypesTable } from '../area-tables.js';
import type { Database } from '../tables.js';

type Db = Kysely<Database>;

/** A group type by id. */
export function findGroupType(db: Db, id: string): Promise<GroupTypesTable | undefined> {
  return db.selectFrom('group_types').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A group type by name. */
export function findGroupTypeByName(db: Db, name: string): Promise<GroupTypesTable | undefined> {
  return db.selectFrom('group_types').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Group types, public ones only when `isPublic` is true, private only when false, all when undefined. */
export function listGroupTypes(db: Db, isPublic: boolean | undefined, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<GroupTypesTable[]> {
  let q = db.selectFrom('group_types').selectAll();
  if (isPublic !== undefined) q = q.where('is_public', '=', isPublic ? 1 : 0);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Records a group type. */
export async function insertGroupType(db: Db, row: GroupTypesTable): Promise<void> {
  await db.insertInto('group_types').values(row).execute();
}

/** Writes columns of a group type. */
export async function updateGroupType(db: Db, id: string, set: Partial<Omit<GroupTypesTable, 'id'>>): Promise<void> {
  await db.updateTable('group_types').set(set).where('id', '=', id).execute();
}

/** Removes a group type. */
export async function removeGroupType(db: Db, id: string): Promise<void> {
  await db.deleteFrom('group_types').where('id', '=', id).execute();
}

/** True while a group or group snapshot uses the type. */
export async function groupTypeInUse(db: Db, id: string): Promise<boolean> {
  const g = await db.selectFrom('volume_groups').select('id').where('group_type_id', '=', id).executeTakeFirst();
  const s = g ?? (await db.selectFrom('group_snapshots').select('id').where('group_type_id', '=', id).executeTakeFirst());
  return s !== undefined;
}
