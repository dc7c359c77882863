import { expect } from 'chai';
import type { Kysely } from 'kysely';
import { migrate, type ServiceDatabase } from '../../../service/db/connect.js';
import { kysely } from '../../../service/db/kysely-runtime.js';
import type { Database } from '../../../service/db/tables.js';
import { forEachDatabase } from '../databases/each-database.js';
import { openTestDatabase } from './open-test-database.js';

const type = (name: string) => ({ id: `id-${Buffer.from(name).toString('hex')}`, name, description: null, is_public: 1, extra_specs: '{}', created_at: '2026-01-01T00:00:00.000Z' });

/** The schema and its semantics, the same on every database. */
forEachDatabase('service database schema', function (database) {
  this.timeout(120_000);
  let s: (ServiceDatabase & { dir: string }) | undefined;
  let db: Kysely<Database>;
  before(async () => {
    s = await openTestDatabase(database);
    db = s.db;
  });
  after(async () => s?.close());

  it('runs every migration again over a database where it already ran, as after a crash before it was recorded', async () => {
    const before = await db.introspection.getTables();
    await db.deleteFrom('ashlar_migrations' as never).execute();
    const result = await migrate(db, database.kind);
    expect(result.results?.map((r) => [r.migrationName, r.status])).to.deep.equal([
      ['0001-initial', 'Success'],
      ['0002-work-claims', 'Success'],
      ['0003-aux-tables', 'Success'],
      ['0004-transaction-locks', 'Success'],
      ['0005-list-order-indexes', 'Success'],
      ['0008-groups-qos-transfers', 'Success'],
    ]);
    const after = await db.introspection.getTables();
    const shape = (ts: typeof before) => ts.map((t) => `${t.name}(${t.columns.map((c) => c.name).join(',')})`).sort();
    expect(shape(after)).to.deep.equal(shape(before));
  });

  it('compares names case- and trailing-space-sensitively: Gold, gold and "gold " are three types', async () => {
    await db.insertInto('volume_types').values([type('Gold'), type('gold'), type('gold ')]).execute();
    const found = await db.selectFrom('volume_types').select('name').where('name', '=', 'gold').execute();
    expect(found.map((r) => r.name)).to.deep.equal(['gold']);
    const ids = await db.selectFrom('volume_types').select('id').where('id', '=', type('GOLD').id.toUpperCase()).execute();
    expect(ids).to.deep.equal([]);
    const dup = await db.insertInto('volume_types').values({ ...type('Gold'), id: 'another' }).execute().catch((e: unknown) => e);
    expect(dup, 'the unique name refuses an exact duplicate').to.be.instanceOf(Error);
  });

  it('stores unicode names and JSON documents larger than 64 KiB unchanged', async () => {
    const big = JSON.stringify({ pools: Array.from({ length: 3000 }, (_, i) => ({ name: `pool-${i}-ünïcødé-🧱`, free: i })) });
    expect(Buffer.byteLength(big)).to.be.greaterThan(65_536);
    await db.insertInto('volume_types').values({ ...type('ünï 🧱'), extra_specs: big }).execute();
    const row = await db.selectFrom('volume_types').selectAll().where('name', '=', 'ünï 🧱').executeTakeFirstOrThrow();
    expect(row.extra_specs).to.equal(big);
  });

  it('deletes a volume\'s admin metadata with the volume (ON DELETE CASCADE)', async () => {
    const now = '2026-01-01T00:00:00.000Z';
    await db
      .insertInto('volumes')
      .values({ id: 'v1', project_id: 'p', user_id: 'u', name: null, description: null, size: 1, status: 'available', attach_status: 'detached', availability_zone: 'nova', volume_type_id: null, host: null, snapshot_id: null, source_volid: null, bootable: 0, multiattach: 0, provider_location: null, metadata: '{}', migration_status: null, created_at: now, updated_at: null })
      .execute();
    await db.insertInto('volume_admin_metadata').values({ volume_id: 'v1', key: 'readonly', value: 'True' }).execute();
    await db.deleteFrom('volumes').where('id', '=', 'v1').execute();
    expect(await db.selectFrom('volume_admin_metadata').selectAll().execute()).to.deep.equal([]);
  });

  it('counts an UPDATE that matched a row but changed nothing as one updated row (compare-and-set)', async () => {
    // MariaDB reports changed rows unless the client asks for found rows; every
    // `numUpdatedRows === 1` check of a status transition depends on found rows.
    const r = await db.updateTable('volume_types').set({ is_public: 1 }).where('name', '=', 'gold').executeTakeFirst();
    expect(Number(r.numUpdatedRows)).to.equal(1);
  });

  if (database.kind !== 'sqlite') {
    it('refuses a value longer than its column instead of truncating it (strict mode)', async () => {
      const err = await db.insertInto('volume_types').values(type('x'.repeat(300))).execute().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(Error);
      expect(await db.selectFrom('volume_types').select('id').where('name', 'like', 'xxx%').execute()).to.deep.equal([]);
    });
  }

  if (database.kind === 'mariadb') {
    it('sets up every MariaDB connection: strict mode, READ COMMITTED, UTC, binary no-pad collation', async () => {
      const r = await kysely.sql<{ mode: string; iso: string; tz: string; coll: string }>`select @@session.sql_mode as mode, @@session.tx_isolation as iso, @@session.time_zone as tz, @@collation_connection as coll`.execute(db);
      expect(r.rows[0]!.mode.split(',')).to.include.members(['STRICT_ALL_TABLES', 'ONLY_FULL_GROUP_BY']);
      expect(r.rows[0]).to.deep.include({ iso: 'READ-COMMITTED', tz: '+00:00', coll: 'utf8mb4_nopad_bin' });
    });
  }
});
