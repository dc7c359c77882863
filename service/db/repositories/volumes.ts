/** Queries on volumes and what hangs off them (attachments, snapshots) that the domain uses. */
import type { Kysely, Transaction } from 'kysely';
import type { AttachmentsTable, Database, SnapshotsTable, VolumesTable } from '../tables.js';
import { now } from '../../util.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A volume by id, whoever owns it. */
export function findVolume(db: Db, id: string): Promise<VolumesTable | undefined> {
  return db.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes columns of a volume that no state machine drives (flags, type, host after a move). */
export async function updateVolumeFields(db: Db, id: string, set: Omit<Partial<VolumesTable>, 'status' | 'id'>): Promise<void> {
  await db.updateTable('volumes').set({ ...set, updated_at: now() }).where('id', '=', id).execute();
}

/** Removes a volume row and its attachments (its data is gone, or was never placed). */
export async function removeVolumeRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('attachments').where('volume_id', '=', id).execute();
  await db.deleteFrom('volumes').where('id', '=', id).execute();
}

/** Every snapshot of a volume. */
export function snapshotsOfVolume(db: Db, volumeId: string): Promise<SnapshotsTable[]> {
  return db.selectFrom('snapshots').selectAll().where('volume_id', '=', volumeId).execute();
}

/** The id of a volume's newest snapshot (ties broken by id, as listing does). */
export async function latestSnapshotId(db: Db, volumeId: string): Promise<string | undefined> {
  const r = await db.selectFrom('snapshots').select('id').where('volume_id', '=', volumeId).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return r?.id;
}

/** Every attachment of a volume. */
export function attachmentsOfVolume(db: Db, volumeId: string): Promise<AttachmentsTable[]> {
  return db.selectFrom('attachments').selectAll().where('volume_id', '=', volumeId).execute();
}

/** How many of a volume's attachments are attached. */
export async function countAttached(db: Db, volumeId: string): Promise<number> {
  const r = await db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('volume_id', '=', volumeId).where('status', '=', 'attached').executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Records a new volume. */
export async function insertVolume(db: Db, row: VolumesTable): Promise<void> {
  await db.insertInto('volumes').values(row).execute();
}

/**
 * Records many volumes in few statements (bulk loads: benchmarks and imports), in chunks
 * small enough for every database's limit on bound parameters.
 */
export async function insertVolumes(db: Db, rows: readonly VolumesTable[]): Promise<void> {
  const perStatement = 500;
  for (let i = 0; i < rows.length; i += perStatement) await db.insertInto('volumes').values(rows.slice(i, i + perStatement)).execute();
}

/** Replaces the user metadata of a volume or snapshot. */
export async function setUserMetadata(db: Db, table: 'volumes' | 'snapshots', id: string, metadata: Readonly<Record<string, string>>): Promise<void> {
  await db.updateTable(table).set({ metadata: JSON.stringify(metadata), updated_at: now() }).where('id', '=', id).execute();
}

/** Every project id that owns something here (volumes, snapshots, attachments, quotas, type access, default types). */
export async function projectIdsInUse(db: Db): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const table of ['volumes', 'snapshots', 'attachments', 'quotas', 'volume_type_access', 'default_types'] as const) {
    for (const r of await db.selectFrom(table).select('project_id').distinct().execute()) ids.add(r.project_id);
  }
  return ids;
}
