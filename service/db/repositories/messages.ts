/** Queries on user messages. */
import type { Kysely } from 'kysely';
import type { Database, MessagesTable } from '../tables.js';
import { keysetPage, type KeysetColumns, type KeysetPage, type KeysetRequest } from '../keyset/keyset-page.js';
import { now } from '../../util.js';

/** The columns messages may be filtered on. */
export type MessageFilterKey = 'resource_uuid' | 'resource_type' | 'event_id' | 'request_id' | 'message_level';

/** A message by id, whoever owns it. */
export function findMessage(db: Kysely<Database>, id: string): Promise<MessagesTable | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes messages past their expiry. */
export async function purgeExpiredMessages(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('messages').where('expires_at', '<', now()).execute();
}

/** One page of a project's messages (every project's for `projectId` undefined), filtered (see keysetPage); undefined when the marker is not among them. */
export function messagePage(
  db: Kysely<Database>,
  projectId: string | undefined,
  filters: Partial<Record<MessageFilterKey, string>>,
  page: KeysetRequest,
): Promise<KeysetPage<MessagesTable> | undefined> {
  let q = db.selectFrom('messages').selectAll();
  if (projectId !== undefined) q = q.where('project_id', '=', projectId);
  for (const [key, value] of Object.entries(filters) as [MessageFilterKey, string | undefined][]) if (value !== undefined) q = q.where(key, '=', value);
  return keysetPage(db, q, page, MESSAGE_COLUMNS);
}

/** The message sort keys that may be NULL. */
export const MESSAGE_COLUMNS: KeysetColumns = { nullable: new Set(['resource_uuid']) };

/** Removes a message. */
export async function removeMessage(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('messages').where('id', '=', id).execute();
}
