import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../../service/config/database-url.js';
import { openDatabase, type ServiceDatabase } from '../../../service/db/connect.js';
import type { DatabaseUnderTest } from '../databases/each-database.js';

/** A new database of the suite's kind, opened (and migrated) by the service's own code. */
export async function openTestDatabase(database: DatabaseUnderTest): Promise<ServiceDatabase & { readonly connection: string | undefined; readonly dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-db-'));
  const created = await database.create();
  const opened = await openDatabase(parseDatabaseUrl(created.connection, dir, { busyTimeoutMs: 10_000, poolSize: 4 }));
  return {
    ...opened,
    connection: created.connection,
    dir,
    close: async () => {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
