import type { Context, Suite } from 'mocha';
import type { DatabaseKind } from '../../../service/db/database-config.js';
import { databaseServer, serverInstalled, serverInstallHint, type DatabaseServer } from './database-servers.js';
import { createTestDatabase, SQLITE_DATABASE, type TestDatabase } from './test-database.js';

/** Every database the service supports, in the order suites run over them. */
export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgresql', 'mariadb'];

/** The databases one suite runs over: what it asks for, narrowed by `ASHLAR_TEST_DATABASES` (comma-separated) when set. */
function selectedKinds(asked: readonly DatabaseKind[]): DatabaseKind[] {
  const env = process.env.ASHLAR_TEST_DATABASES;
  if (env === undefined || env.trim() === '') return [...asked];
  const wanted = env.split(',').map((s) => s.trim());
  for (const w of wanted) if (!(DATABASE_KINDS as readonly string[]).includes(w)) throw new Error(`ASHLAR_TEST_DATABASES: unknown database "${w}" (known: ${DATABASE_KINDS.join(', ')})`);
  return asked.filter((k) => wanted.includes(k));
}

/** The database a suite runs over, handed to its body. */
export interface DatabaseUnderTest {
  readonly kind: DatabaseKind;
  /** A new, empty database of this kind, dropped when the suite ends. */
  create(): Promise<TestDatabase>;
}

/** Suites skipped because their database server is not installed, reported when the run ends. */
const skipped: string[] = [];

/**
 * Defines the suite `title` once per database (`title [sqlite]`, `title [postgresql]`,
 * `title [mariadb]`), as Kysely runs every test over every dialect. The servers are
 * started once per mocha run, on first use (see `databaseServer`); every database a
 * suite creates is new and empty, and is dropped when the suite ends. A server that is
 * not installed skips the suite loudly and counts it; under CI (CI=true) it fails it.
 *
 * @param body - The suite's body, called with mocha's suite as `this`.
 * @param kinds - Restricts the suite to some databases (a heavy suite over SQLite and one server).
 */
export function forEachDatabase(title: string, body: (this: Suite, db: DatabaseUnderTest) => void, kinds: readonly DatabaseKind[] = DATABASE_KINDS): void {
  for (const kind of selectedKinds(kinds)) {
    describe(`${title} [${kind}]`, function () {
      let server: DatabaseServer | undefined;
      const created: TestDatabase[] = [];
      const handle: DatabaseUnderTest = {
        kind,
        async create() {
          if (kind === 'sqlite') return SQLITE_DATABASE;
          const db = await createTestDatabase(server!);
          created.push(db);
          return db;
        },
      };
      before(`start or reuse the ${kind} server`, async function () {
        if (kind === 'sqlite') return;
        requireServer(this, kind, title);
        // Starting a server under heavy load takes long; the start script bounds its own waits.
        this.timeout(0);
        server = await databaseServer(kind);
      });
      body.call(this, handle);
      // Registered after the body's own hooks, so it runs after they stopped their services.
      after(`drop this suite's ${kind} databases`, async () => {
        for (const db of created.splice(0)) await db.drop();
      });
    });
  }
}

function requireServer(ctx: Context, kind: Exclude<DatabaseKind, 'sqlite'>, title: string): void {
  if (serverInstalled(kind)) return;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${serverInstallHint(kind)} is not installed: .ci/run must install it`);
  skipped.push(`${title} [${kind}]`);
  console.warn(`      ⚠ SKIPPED on ${kind}: ${serverInstallHint(kind)} is not installed`);
  ctx.skip();
}

if (typeof after === 'function') {
  after('report suites skipped for a missing database server', () => {
    if (skipped.length > 0) console.warn(`\n  ⚠ ${skipped.length} suite(s) skipped for a missing database server:\n${skipped.map((s) => `    - ${s}`).join('\n')}`);
  });
}
