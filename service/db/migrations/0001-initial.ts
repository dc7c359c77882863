import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/** Version 1: every table of the first release. */
export const initial = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await d
      .createTable(db, 'volumes')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('attach_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
      .addColumn('volume_type_id', 'varchar(36)')
      .addColumn('host', 'varchar(255)')
      .addColumn('snapshot_id', 'varchar(36)')
      .addColumn('source_volid', 'varchar(36)')
      .addColumn('bootable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('multiattach', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('provider_location', 'varchar(1024)')
      .addColumn('metadata', d.text, (c) => c.notNull())
      .addColumn('migration_status', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .execute();
    await d.createIndex(db, 'volumes_project_created').on('volumes').columns(['project_id', 'created_at']).execute();
    await d.createIndex(db, 'volumes_status').on('volumes').column('status').execute();

    await d
      .createTable(db, 'snapshots')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('volume_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('progress', 'varchar(16)', (c) => c.notNull())
      .addColumn('provider_location', 'varchar(1024)')
      .addColumn('metadata', d.text, (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .execute();
    await d.createIndex(db, 'snapshots_volume').on('snapshots').column('volume_id').execute();
    await d.createIndex(db, 'snapshots_project').on('snapshots').columns(['project_id', 'created_at']).execute();

    await d
      .createTable(db, 'volume_types')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', 'varchar(255)')
      .addColumn('is_public', 'integer', (c) => c.notNull())
      .addColumn('extra_specs', d.text, (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await d
      .createTable(db, 'volume_type_access')
      .addColumn('volume_type_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addPrimaryKeyConstraint('volume_type_access_pk', ['volume_type_id', 'project_id'])
      .execute();

    await d
      .createTable(db, 'default_types')
      .addColumn('project_id', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('volume_type_id', 'varchar(36)', (c) => c.notNull())
      .execute();

    await d
      .createTable(db, 'attachments')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('volume_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('instance_uuid', 'varchar(36)')
      .addColumn('attached_host', 'varchar(255)')
      .addColumn('mountpoint', 'varchar(255)')
      .addColumn('attach_mode', 'varchar(8)', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('connector', d.text)
      .addColumn('connection_info', d.text)
      .addColumn('attach_time', 'varchar(32)')
      .addColumn('detach_time', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await d.createIndex(db, 'attachments_volume').on('attachments').column('volume_id').execute();

    await d
      .createTable(db, 'quotas')
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource', 'varchar(255)', (c) => c.notNull())
      .addColumn('hard_limit', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('quotas_pk', ['project_id', 'resource'])
      .execute();

    await d
      .createTable(db, 'messages')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
      .addColumn('resource_uuid', 'varchar(36)')
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('message_level', 'varchar(16)', (c) => c.notNull())
      .addColumn('user_message', 'varchar(1024)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await d.createIndex(db, 'messages_project').on('messages').column('project_id').execute();

    await d
      .createTable(db, 'services')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('binary', 'varchar(64)', (c) => c.notNull())
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'varchar(255)')
      .addColumn('cluster_name', 'varchar(255)')
      .addColumn('frozen', 'integer', (c) => c.notNull())
      .addColumn('replication_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('capabilities', d.text)
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('services_binary_host', ['binary', 'host'])
      .execute();

    await d
      .createTable(db, 'work')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('host', 'varchar(255)', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
      .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('operation', 'varchar(64)', (c) => c.notNull())
      .addColumn('args', d.text, (c) => c.notNull())
      .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await d.createIndex(db, 'work_host').on('work').column('host').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['work', 'services', 'messages', 'quotas', 'attachments', 'default_types', 'volume_type_access', 'volume_types', 'snapshots', 'volumes']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  },
});
