/** Queries on attachments. */
import type { Kysely, Transaction } from 'kysely';
import type { AttachmentsTable, Database } from '../tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** An attachment by id, whoever owns it. */
export function findAttachment(db: Db, id: string): Promise<AttachmentsTable | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records an attachment. */
export async function insertAttachment(db: Db, row: AttachmentsTable): Promise<void> {
  await db.insertInto('attachments').values(row).execute();
}

/** Removes an attachment (the detach is done). */
export async function removeAttachment(db: Db, id: string): Promise<void> {
  await db.deleteFrom('attachments').where('id', '=', id).execute();
}

/** True when the volume has any attachment. */
export async function hasAttachment(db: Db, volumeId: string): Promise<boolean> {
  return (await db.selectFrom('attachments').select('id').where('volume_id', '=', volumeId).executeTakeFirst()) !== undefined;
}
