import type { Migration } from 'kysely';
import type { DatabaseKind } from '../database-config.js';
import { initial } from './0001-initial.js';
import { workClaims } from './0002-work-claims.js';
import { auxTables } from './0003-aux-tables.js';
import { transactionLocks } from './0004-transaction-locks.js';
import { listOrderIndexes } from './0005-list-order-indexes.js';
import { groupsQosTransfers } from './0008-groups-qos-transfers.js';
import { schemaDialect } from './schema-dialect.js';

/**
 * Every migration, by name, written for one kind of database (see `SchemaDialect`); names
 * sort in the order they run. Never change what a released migration does to a database
 * that already ran it: add the next one. (Making 0001–0003 idempotent and giving them
 * MariaDB's table options changed nothing for an SQLite or PostgreSQL database.)
 */
export function migrationsFor(kind: DatabaseKind): Readonly<Record<string, Migration>> {
  const d = schemaDialect(kind);
  return {
    '0001-initial': initial(d),
    '0002-work-claims': workClaims(d),
    '0003-aux-tables': auxTables(d),
    '0004-transaction-locks': transactionLocks(d),
    '0005-list-order-indexes': listOrderIndexes(d),
    '0008-groups-qos-transfers': groupsQosTransfers(d),
  };
}
