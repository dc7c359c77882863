/** Queries on attachments. */
import type { Kysely, Transaction } from 'kysely';
import type { AttachmentsTable, Database } from '../tables.js';
import { keysetPage, type KeysetColumns, type KeysetPage, type KeysetRequest } from '../keyset/keyset-page.js';

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

/** Which attachments a list returns; every given field must match. */
export interface AttachmentFilter {
  /** Undefined: every project's. */
  readonly projectId?: string | undefined;
  readonly volumeId?: string | undefined;
  readonly instanceUuid?: string | undefined;
  readonly status?: string | undefined;
}

/** The attachment sort keys that may be NULL. */
export const ATTACHMENT_COLUMNS: KeysetColumns = { nullable: new Set(['instance_uuid']) };

/** One page of the attachments matching the filter (see keysetPage); undefined when the marker is not among them. */
export function attachmentPage(db: Kysely<Database>, f: AttachmentFilter, page: KeysetRequest): Promise<KeysetPage<AttachmentsTable> | undefined> {
  let q = db.selectFrom('attachments').selectAll();
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.volumeId) q = q.where('volume_id', '=', f.volumeId);
  if (f.instanceUuid) q = q.where('instance_uuid', '=', f.instanceUuid);
  if (f.status) q = q.where('status', '=', f.status);
  return keysetPage(db, q, page, ATTACHMENT_COLUMNS);
}
