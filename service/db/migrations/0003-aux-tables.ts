import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/**
 * Version 3: the two per-volume key/value stores Cinder keeps beside user metadata —
 * admin metadata (the `readonly` flag of os-update_readonly_flag) and image metadata
 * (os-set_image_metadata); rows go with their volume (ON DELETE CASCADE), so whoever
 * deletes a volume row needs to know nothing about them. And quota classes
 * (os-quota-class-sets): the `default` class overrides the configured default quotas.
 */
export const auxTables = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    for (const table of ['volume_admin_metadata', 'volume_glance_metadata']) {
      await d
        .createTable(db, table)
        .addColumn('volume_id', 'varchar(36)', (c) => c.notNull().references('volumes.id').onDelete('cascade'))
        .addColumn('key', 'varchar(255)', (c) => c.notNull())
        .addColumn('value', d.text, (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['volume_id', 'key'])
        .execute();
    }
    await d
      .createTable(db, 'quota_classes')
      .addColumn('class_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource', 'varchar(255)', (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quota_classes_pk', ['class_name', 'resource'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('quota_classes').ifExists().execute();
    await db.schema.dropTable('volume_glance_metadata').ifExists().execute();
    await db.schema.dropTable('volume_admin_metadata').ifExists().execute();
  },
});
