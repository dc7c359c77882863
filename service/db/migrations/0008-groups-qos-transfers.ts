import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/**
 * Version 8: the API areas Cinder's users rely on beyond volumes and snapshots — QoS specs
 * (a volume type points at one, as in Cinder), group types with their group specs, generic
 * volume groups and group snapshots (a volume and a snapshot point at theirs), and volume
 * transfers (kept after acceptance, as 3.57 shows them).
 */
export const groupsQosTransfers = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await d
      .createTable(db, 'qos_specs')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('consumer', 'varchar(16)', (c) => c.notNull())
      .addColumn('specs', d.text, (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await d.addColumnIfMissing(db, 'volume_types', 'qos_specs_id', 'varchar(36)');

    await d
      .createTable(db, 'group_types')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('description', 'varchar(255)')
      .addColumn('is_public', 'integer', (c) => c.notNull())
      .addColumn('group_specs', d.text, (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await d
      .createTable(db, 'volume_groups')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('availability_zone', 'varchar(255)', (c) => c.notNull())
      .addColumn('group_type_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('volume_type_ids', d.text, (c) => c.notNull())
      .addColumn('group_snapshot_id', 'varchar(36)')
      .addColumn('source_group_id', 'varchar(36)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .execute();
    await d.createIndex(db, 'volume_groups_project').on('volume_groups').columns(['project_id', 'created_at']).execute();

    await d
      .createTable(db, 'group_snapshots')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('group_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('group_type_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('description', 'varchar(255)')
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .execute();
    await d.createIndex(db, 'group_snapshots_group').on('group_snapshots').column('group_id').execute();

    await d.addColumnIfMissing(db, 'volumes', 'group_id', 'varchar(36)');
    await d.addColumnIfMissing(db, 'snapshots', 'group_snapshot_id', 'varchar(36)');
    await d.createIndex(db, 'volumes_group').on('volumes').column('group_id').execute();
    await d.createIndex(db, 'snapshots_group_snapshot').on('snapshots').column('group_snapshot_id').execute();

    await d
      .createTable(db, 'transfers')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('volume_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)')
      .addColumn('salt', 'varchar(64)', (c) => c.notNull())
      .addColumn('crypt_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('no_snapshots', 'integer', (c) => c.notNull())
      .addColumn('source_project_id', 'varchar(255)', (c) => c.notNull())
      .addColumn('destination_project_id', 'varchar(255)')
      .addColumn('accepted', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)')
      .execute();
    await d.createIndex(db, 'transfers_volume').on('transfers').column('volume_id').execute();
    await d.createIndex(db, 'transfers_source_project').on('transfers').columns(['source_project_id', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['transfers', 'group_snapshots', 'volume_groups', 'group_types', 'qos_specs']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
    await db.schema.dropIndex('snapshots_group_snapshot').ifExists().on('snapshots').execute();
    await db.schema.dropIndex('volumes_group').ifExists().on('volumes').execute();
    await d.dropColumnIfPresent(db, 'snapshots', 'group_snapshot_id');
    await d.dropColumnIfPresent(db, 'volumes', 'group_id');
    await d.dropColumnIfPresent(db, 'volume_types', 'qos_specs_id');
  },
});
