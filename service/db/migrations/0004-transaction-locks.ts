import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/**
 * Version 4: named locks held until the end of a transaction, on MariaDB (see
 * `lockUntilCommit`). PostgreSQL has advisory transaction locks and SQLite runs one
 * write transaction at a time, so there the table stays empty; it exists everywhere so
 * that every database has one schema.
 */
export const transactionLocks = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await d
      .createTable(db, 'transaction_locks')
      .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('transaction_locks').ifExists().execute();
  },
});
