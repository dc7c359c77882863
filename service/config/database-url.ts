import path from 'node:path';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { DatabaseConfig } from '../db/database-config.js';

/** Options of `[database]` besides `connection`. */
export interface DatabaseOptions {
  readonly busyTimeoutMs: number;
  readonly poolSize: number;
}

/** Query parameters cinder.conf URLs carry that mean nothing here (the service always speaks utf8mb4). */
const IGNORED_MARIADB_PARAMS = new Set(['charset', 'use_unicode']);

/**
 * Reads `[database] connection` as cinder.conf spells it: `sqlite:///abs.db` or
 * `sqlite://rel.db` (relative to state_path), `postgresql://` (also `postgres://`,
 * `postgresql+psycopg2://`), and MariaDB as `mysql://`, `mysql+pymysql://` or `mariadb://`
 * (`user:password@host[:port]/database`; user and password percent-encoded). No
 * connection means SQLite in state_path. No error message repeats the password.
 *
 * @throws CONFIG_INVALID naming `[database] connection`.
 */
export function parseDatabaseUrl(connection: string | undefined, statePath: string, options: DatabaseOptions): DatabaseConfig {
  if (connection === undefined) return { kind: 'sqlite', path: path.join(statePath, 'ashlar.db'), busyTimeoutMs: options.busyTimeoutMs };
  if (connection.startsWith('sqlite://')) return { kind: 'sqlite', path: path.resolve(statePath, connection.slice('sqlite://'.length)), busyTimeoutMs: options.busyTimeoutMs };
  const scheme = /^([a-z0-9]+)(\+[a-z0-9_]+)?:\/\//i.exec(connection);
  const dialect = scheme?.[1]!.toLowerCase();
  if (dialect === 'postgresql' || dialect === 'postgres') {
    // libpq and node-postgres know no `+driver` suffix.
    return { kind: 'postgresql', url: `postgresql://${connection.slice(scheme![0].length)}`, poolSize: options.poolSize };
  }
  if (dialect === 'mysql' || dialect === 'mariadb') return mariadbConfig(connection, options.poolSize);
  throw invalid('must start with sqlite://, postgresql://, mysql://, mysql+pymysql:// or mariadb://');
}

function mariadbConfig(connection: string, poolSize: number): DatabaseConfig {
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw invalid('is not a URL of the form mysql+pymysql://user:password@host:port/database');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || url.username === '' || database === '' || database.includes('/')) {
    throw invalid(`must name a user, a host and one database: ${redactedDatabaseUrl(connection)}`);
  }
  const unknown = [...url.searchParams.keys()].filter((k) => !IGNORED_MARIADB_PARAMS.has(k));
  if (unknown.length > 0) throw invalid(`has unsupported parameters ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...IGNORED_MARIADB_PARAMS].join(', ')})`);
  return {
    kind: 'mariadb',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    poolSize,
  };
}

/**
 * The URL with its password replaced by `***`, for messages. Cut at the last `@` of the
 * authority as URL parsers do, so a password holding an unencoded `@` is masked whole.
 */
export function redactedDatabaseUrl(connection: string): string {
  const start = connection.indexOf('://');
  if (start < 0) return connection;
  const rest = connection.slice(start + 3);
  const at = rest.lastIndexOf('@');
  if (at < 0) return connection;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > at) return connection;
  return `${connection.slice(0, start + 3)}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}

function invalid(why: string): AshlarError {
  return new AshlarError('CONFIG_INVALID', { details: { reason: `[database] connection ${why}`, section: 'database', key: 'connection' } });
}
