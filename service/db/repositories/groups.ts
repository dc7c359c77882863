/** Queries on generic volume groups and their member volumes. */
import type { Kysely } from 'kysely';
import type { VolumeGroupsTable } from '../area-tables.js';
import type { Database, VolumesTable } from '../tables.js';

type Db = Kysely<Database>;

/** A group by id. */
export function findGroup(db: Db, id: string): Promise<VolumeGroupsTable | undefined> {
  return db.selectFrom('volume_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which groups a list returns. */
export interface GroupFilter {
  /** Undefined: every project's (administrators with all_tenants). */
  readonly projectId?: string | undefined;
  readonly name?: string | undefined;
  readonly status?: string | undefined;
}

/** Groups matching the filter, in the given order. */
export function findGroups(db: Db, f: GroupFilter, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<VolumeGroupsTable[]> {
  let q = db.selectFrom('volume_groups').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Records a group. */
export async function insertGroup(db: Db, row: VolumeGroupsTable): Promise<void> {
  await db.insertInto('volume_groups').values(row).execute();
}

/** Writes the name and description of a group. */
export async function updateGroupFields(db: Db, id: string, set: Partial<Pick<VolumeGroupsTable, 'name' | 'description' | 'updated_at'>>): Promise<void> {
  await db.updateTable('volume_groups').set(set).where('id', '=', id).execute();
}

/** Removes a group row. */
export async function removeGroupRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('volume_groups').where('id', '=', id).execute();
}

/** The volumes of a group. */
export function volumesOfGroup(db: Db, groupId: string): Promise<VolumesTable[]> {
  return db.selectFrom('volumes').selectAll().where('group_id', '=', groupId).orderBy('created_at').execute();
}

/** Moves volumes into a group, or out of any (`null`). */
export async function setVolumesGroup(db: Db, volumeIds: readonly string[], groupId: string | null): Promise<void> {
  if (volumeIds.length === 0) return;
  await db.updateTable('volumes').set({ group_id: groupId }).where('id', 'in', [...volumeIds]).execute();
}

/** True while some group snapshot of the group exists. */
export async function groupHasSnapshots(db: Db, groupId: string): Promise<boolean> {
  return (await db.selectFrom('group_snapshots').select('id').where('group_id', '=', groupId).executeTakeFirst()) !== undefined;
}
