import type { DatabaseKind } from '../../../service/db/database-config.js';
import type { DatabaseServer } from './database-servers.js';

/** One empty database a test service runs on. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  /** `[database] connection` for it; undefined for SQLite (the state dir's own file). */
  readonly connection: string | undefined;
  /** The same as an INI section, for config files handed to `ashlar serve`. */
  readonly ini: string;
  /** Drops it (SQLite: nothing; its file goes with the state dir). */
  drop(): Promise<void>;
}

let serial = 0;

/** SQLite: every state dir has its own file, so there is nothing to create. */
export const SQLITE_DATABASE: TestDatabase = { kind: 'sqlite', connection: undefined, ini: '', drop: async () => undefined };

/**
 * A new, empty database on a shared server. Created with the server's case-insensitive
 * default collation on MariaDB on purpose: the service's own tables must override it.
 */
export async function createTestDatabase(server: DatabaseServer): Promise<TestDatabase> {
  const name = `t${process.pid}_${++serial}`;
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const connection = url.toString();
  if (server.kind === 'postgresql') {
    await withPostgres(server.url, (q) => q(`CREATE DATABASE ${name}`));
  } else {
    await withMariadb(server.url, (q) => q(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`));
  }
  const drop = async (): Promise<void> => {
    if (server.kind === 'postgresql') await withPostgres(server.url, (q) => q(`DROP DATABASE IF EXISTS ${name}`));
    else await withMariadb(server.url, (q) => q(`DROP DATABASE IF EXISTS ${name}`));
  };
  return { kind: server.kind, connection, ini: `[database]\nconnection = ${connection}\n`, drop };
}

type Query = (sql: string) => Promise<unknown>;

async function withPostgres(url: string, fn: (q: Query) => Promise<unknown>): Promise<void> {
  const pg = await import('pg');
  const client = new (pg.default ?? pg).Client({ connectionString: url });
  await client.connect();
  try {
    await fn((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}

async function withMariadb(url: string, fn: (q: Query) => Promise<unknown>): Promise<void> {
  const mysql = await import('mysql2/promise');
  const u = new URL(url);
  const conn = await (mysql.default ?? mysql).createConnection({ host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  try {
    await fn((sql) => conn.query(sql));
  } finally {
    await conn.end();
  }
}
