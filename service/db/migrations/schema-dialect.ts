import type { ColumnDataType, CreateIndexBuilder, CreateTableBuilder, Expression, Kysely } from 'kysely';
import type { DatabaseKind } from '../database-config.js';
import { kysely } from '../kysely-runtime.js';
import { MARIADB_COLLATION } from '../mariadb-session.js';

/**
 * Schema statements as every migration writes them, whatever the database:
 *
 * - Idempotent. Neither MariaDB nor (through kysely) SQLite runs a migration in one
 *   transaction, so a crash midway leaves some of its tables behind and the migration
 *   unrecorded; the next start runs it again from the top, and each statement must then
 *   find its work done instead of failing.
 * - One meaning of text. On MariaDB every table gets InnoDB and a binary NO PAD collation
 *   (see {@link MARIADB_COLLATION}), whatever the server's or the database's default, and
 *   unbounded text is MEDIUMTEXT (TEXT stops at 64 KiB; SQLite and PostgreSQL have no
 *   such limit).
 */
export interface SchemaDialect {
  readonly kind: DatabaseKind;
  /** Column type for unbounded text (JSON documents). */
  readonly text: ColumnDataType | Expression<unknown>;
  /** `CREATE TABLE IF NOT EXISTS`, with MariaDB's table options. */
  createTable(db: Kysely<unknown>, table: string): CreateTableBuilder<string, never>;
  /** `CREATE INDEX IF NOT EXISTS`. */
  createIndex(db: Kysely<unknown>, index: string): CreateIndexBuilder;
  /** `ALTER TABLE ... ADD COLUMN` unless the column is there (SQLite has no `IF NOT EXISTS` for it). */
  addColumnIfMissing(db: Kysely<unknown>, table: string, column: string, type: ColumnDataType): Promise<void>;
  /** `ALTER TABLE ... DROP COLUMN` if the column is there. */
  dropColumnIfPresent(db: Kysely<unknown>, table: string, column: string): Promise<void>;
}

/** The schema statements for one kind of database. */
export function schemaDialect(kind: DatabaseKind): SchemaDialect {
  const mariadb = kind === 'mariadb';
  return {
    kind,
    text: mariadb ? kysely.sql`mediumtext` : 'text',
    createTable(db, table) {
      const create = db.schema.createTable(table).ifNotExists();
      return mariadb ? create.modifyEnd(kysely.sql.raw(`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${MARIADB_COLLATION}`)) : create;
    },
    createIndex: (db, index) => db.schema.createIndex(index).ifNotExists(),
    async addColumnIfMissing(db, table, column, type) {
      if (!(await hasColumn(db, table, column))) await db.schema.alterTable(table).addColumn(column, type).execute();
    },
    async dropColumnIfPresent(db, table, column) {
      if (await hasColumn(db, table, column)) await db.schema.alterTable(table).dropColumn(column).execute();
    },
  };
}

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}
