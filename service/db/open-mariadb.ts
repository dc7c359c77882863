import type { DatabaseConnection, Kysely, MysqlPool } from 'kysely';
import { kysely } from './kysely-runtime.js';
import { MARIADB_SESSION_SETUP } from './mariadb-session.js';
import type { MariadbConfig } from './database-config.js';
import type { Database } from './tables.js';

/** The part of mysql2's module the service uses. */
interface Mysql2Module {
  createPool(options: Record<string, unknown>): MysqlPool;
}

/**
 * Opens a mysql2 pool on a MariaDB server; connections are made on first use and each is
 * set up by {@link MARIADB_SESSION_SETUP}.
 */
export async function openMariadb(config: MariadbConfig): Promise<Kysely<Database>> {
  const mod = (await import('mysql2')) as unknown as { default?: Mysql2Module } & Mysql2Module;
  const mysql = mod.default ?? mod;
  const pool = mysql.createPool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    connectionLimit: config.poolSize ?? 10,
    // The handshake needs a collation mysql2 knows; SET NAMES then picks the NO PAD one.
    charset: 'UTF8MB4_BIN',
    timezone: 'Z',
    // COUNT is BIGINT and SUM is DECIMAL: plain numbers, as the service's quotas expect.
    supportBigNumbers: true,
    decimalNumbers: true,
    dateStrings: true,
  });
  const setUp = async (conn: DatabaseConnection): Promise<void> => {
    for (const statement of MARIADB_SESSION_SETUP) await conn.executeQuery(kysely.CompiledQuery.raw(statement));
  };
  return new kysely.Kysely<Database>({ dialect: new kysely.MysqlDialect({ pool, onCreateConnection: setUp }) });
}
