/** Queries on volume transfers. */
import type { Kysely } from 'kysely';
import type { TransfersTable } from '../area-tables.js';
import type { Database } from '../tables.js';

type Db = Kysely<Database>;

/** A transfer still on offer (not accepted), by id. */
export function findOpenTransfer(db: Db, id: string): Promise<TransfersTable | undefined> {
  return db.selectFrom('transfers').selectAll().where('id', '=', id).where('accepted', '=', 0).executeTakeFirst();
}

/** The open transfers of a project (all projects when undefined), in the given order. */
export function findOpenTransfers(db: Db, projectId: string | undefined, sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[]): Promise<TransfersTable[]> {
  let q = db.selectFrom('transfers').selectAll().where('accepted', '=', 0);
  if (projectId !== undefined) q = q.where('source_project_id', '=', projectId);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Records a transfer. */
export async function insertTransfer(db: Db, row: TransfersTable): Promise<void> {
  await db.insertInto('transfers').values(row).execute();
}

/** Removes a transfer. */
export async function removeTransfer(db: Db, id: string): Promise<void> {
  await db.deleteFrom('transfers').where('id', '=', id).execute();
}

/** Keeps an accepted transfer as history. @returns false when another accept won. */
export async function markAccepted(db: Db, id: string, destinationProjectId: string, at: string): Promise<boolean> {
  const r = await db.updateTable('transfers').set({ accepted: 1, destination_project_id: destinationProjectId, updated_at: at }).where('id', '=', id).where('accepted', '=', 0).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a volume's snapshots to another project and user. */
export async function moveSnapshotsOwnership(db: Db, volumeId: string, projectId: string, userId: string): Promise<void> {
  await db.updateTable('snapshots').set({ project_id: projectId, user_id: userId }).where('volume_id', '=', volumeId).execute();
}
