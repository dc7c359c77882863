/** Queries on user messages. */
import type { Kysely } from 'kysely';
import type { Database, MessagesTable } from '../tables.js';
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

/** Messages of a project (every project's for `projectId` undefined), filtered and sorted. */
export function listMessages(
  db: Kysely<Database>,
  projectId: string | undefined,
  filters: Partial<Record<MessageFilterKey, string>>,
  sort: readonly { readonly key: string; readonly dir: 'asc' | 'desc' }[],
): Promise<MessagesTable[]> {
  let q = db.selectFrom('messages').selectAll();
  if (projectId !== undefined) q = q.where('project_id', '=', projectId);
  for (const [key, value] of Object.entries(filters) as [MessageFilterKey, string | undefined][]) if (value !== undefined) q = q.where(key, '=', value);
  for (const s of sort) q = q.orderBy(s.key as 'id', s.dir);
  return q.execute();
}

/** Removes a message. */
export async function removeMessage(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('messages').where('id', '=', id).execute();
}
