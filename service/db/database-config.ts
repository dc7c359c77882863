/** Which database a service runs on; every query the service sends runs on all three. */
export type DatabaseKind = 'sqlite' | 'postgresql' | 'mariadb';

/** An embedded SQLite file: the default, one host. */
export interface SqliteConfig {
  readonly kind: 'sqlite';
  readonly path: string;
  /** How long a writer waits for another process's write transaction. */
  readonly busyTimeoutMs?: number;
}

/** A PostgreSQL server, for several processes (active-active). */
export interface PostgresqlConfig {
  readonly kind: 'postgresql';
  /** A libpq-style URL; it may carry a password, so it is never logged. */
  readonly url: string;
  readonly poolSize?: number;
}

/** A MariaDB server (10.6 or newer), for several processes (active-active). */
export interface MariadbConfig {
  readonly kind: 'mariadb';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Never logged: errors are scrubbed of it before they leave the database layer. */
  readonly password: string;
  readonly database: string;
  readonly poolSize?: number;
}

/** Where the service keeps its state. */
export type DatabaseConfig = SqliteConfig | PostgresqlConfig | MariadbConfig;
