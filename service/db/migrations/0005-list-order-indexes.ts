import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/**
 * The indexes each list's keyset pages are read through (see keysetPage): one per order a
 * list serves often, led by the project (a project's list) or not (an administrator's
 * all_tenants list), and ending in the id tie-breaker so a page after a marker is one
 * index range. Cinder's default order (created_at, newest first) comes first; names and
 * update times are the orders clients ask for next.
 */
const INDEXES: readonly (readonly [name: string, table: string, columns: readonly string[]])[] = [
  ['volumes_project_created_id', 'volumes', ['project_id', 'created_at', 'id']],
  ['volumes_created_id', 'volumes', ['created_at', 'id']],
  ['volumes_project_name_id', 'volumes', ['project_id', 'name', 'id']],
  ['volumes_project_updated_id', 'volumes', ['project_id', 'updated_at', 'id']],
  ['snapshots_project_created_id', 'snapshots', ['project_id', 'created_at', 'id']],
  ['snapshots_created_id', 'snapshots', ['created_at', 'id']],
  ['attachments_project_created_id', 'attachments', ['project_id', 'created_at', 'id']],
  ['messages_project_created_id', 'messages', ['project_id', 'created_at', 'id']],
];

/** Version 5: indexes serving keyset pagination of the lists. */
export const listOrderIndexes = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    for (const [name, table, columns] of INDEXES) await d.createIndex(db, name).on(table).columns([...columns]).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const [name, table] of [...INDEXES].reverse()) {
      const drop = db.schema.dropIndex(name).ifExists();
      await (d.kind === 'mariadb' ? drop.on(table) : drop).execute();
    }
  },
});
