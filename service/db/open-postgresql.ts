import type { Kysely } from 'kysely';
import { kysely } from './kysely-runtime.js';
import type { PostgresqlConfig } from './database-config.js';
import type { Database } from './tables.js';

/** Opens a pool on a PostgreSQL server; connections are made on first use. */
export async function openPostgresql(config: PostgresqlConfig): Promise<Kysely<Database>> {
  const pg = await import('pg');
  const Pool = (pg.default ?? pg).Pool;
  const pool = new Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
  // An idle connection the server closes (a restart, an administrator) is dropped from the
  // pool, which then emits 'error'; without a listener that would end the process. The
  // next query opens a new connection, and fails visibly if the server is really gone.
  pool.on('error', () => undefined);
  return new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool }) });
}
