import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts');

/** A database server the service tests run on besides SQLite. */
export type ServerKind = 'postgresql' | 'mariadb';

/** One server started by its script in scripts/, shared by every suite of the mocha run. */
export interface DatabaseServer {
  readonly kind: ServerKind;
  /** What the start script printed (`PG_URL`, `MARIADB_DIR`, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** The URL of the server's first database, as the service's `[database] connection` takes it. */
  readonly url: string;
}

interface ServerSpec {
  readonly installed: () => boolean;
  /** How to install it, for the skip message. */
  readonly install: string;
  readonly dir: string;
  readonly prefix: string;
}

const SPECS: Record<ServerKind, ServerSpec> = {
  postgresql: { installed: () => existsSync('/usr/lib/postgresql/15/bin/postgres'), install: 'postgresql-15 (apt-get install postgresql)', dir: 'postgres', prefix: 'PG' },
  mariadb: { installed: () => existsSync('/usr/sbin/mariadbd') && existsSync('/usr/bin/mariadb-install-db'), install: 'mariadb-server 10.11 (apt-get install mariadb-server)', dir: 'mariadb', prefix: 'MARIADB' },
};

const starting = new Map<ServerKind, Promise<DatabaseServer>>();
/** The state dir of every server this run started or is starting: what its stop script takes. */
const dirs = new Map<ServerKind, string>();

/** Whether the server's packages are installed on this machine. */
export function serverInstalled(kind: ServerKind): boolean {
  return SPECS[kind].installed();
}

/** The install hint for a missing server. */
export function serverInstallHint(kind: ServerKind): string {
  return SPECS[kind].install;
}

/**
 * The shared server of this kind, started by its script on first use and stopped when the
 * mocha run ends (by the PID the script recorded).
 */
export function databaseServer(kind: ServerKind): Promise<DatabaseServer> {
  let server = starting.get(kind);
  if (server === undefined) {
    server = startServer(kind);
    starting.set(kind, server);
    // A failed start is retried by the next suite instead of failing it with a stale error.
    server.catch(() => starting.delete(kind));
  }
  return server;
}

async function startServer(kind: ServerKind): Promise<DatabaseServer> {
  const spec = SPECS[kind];
  // Our own dir under /tmp (where the stop scripts remove it), known before the script
  // runs, so an exit in the middle of a start still finds the PID file to stop.
  const dir = mkdtempSync(`/tmp/ashlar-${spec.dir}-`);
  dirs.set(kind, dir);
  let stdout: string;
  try {
    ({ stdout } = await run(path.join(SCRIPTS, spec.dir, 'start.sh'), [dir]));
  } catch (err) {
    dirs.delete(kind);
    await run(path.join(SCRIPTS, spec.dir, 'stop.sh'), [dir]).catch(() => undefined);
    throw err;
  }
  const env = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );
  return { kind, env, url: env[`${spec.prefix}_URL`]! };
}

/** Stops every server this run started. */
export async function stopDatabaseServers(): Promise<void> {
  for (const [kind, dir] of dirs) {
    await starting.get(kind)?.catch(() => undefined);
    dirs.delete(kind);
    starting.delete(kind);
    await run(path.join(SCRIPTS, SPECS[kind].dir, 'stop.sh'), [dir]);
  }
}

// The run's last hook stops the servers; if mocha is interrupted before it runs, the
// process's exit still does (synchronously: nothing asynchronous runs at exit).
if (typeof after === 'function') after('stop the shared database servers', async () => stopDatabaseServers());
process.once('exit', () => {
  for (const [kind, dir] of dirs) {
    try {
      execFileSync(path.join(SCRIPTS, SPECS[kind].dir, 'stop.sh'), [dir], { stdio: 'ignore' });
    } catch {
      // Nothing more can be done while exiting; the script names what it left behind.
    }
  }
});
