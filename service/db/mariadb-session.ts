/**
 * The collation of every text column and of the connection on MariaDB. Binary, so names
 * and ids compare case-sensitively, and NO PAD, so `'a'` and `'a '` differ: the same
 * answers SQLite and PostgreSQL give. MariaDB's defaults (`utf8mb4_general_ci`, or even
 * `utf8mb4_bin`, which is PAD SPACE) would let a volume type `Gold` collide with `gold`.
 */
export const MARIADB_COLLATION = 'utf8mb4_nopad_bin';

/**
 * Statements run on every new MariaDB connection, so the service behaves the same
 * whatever the server's defaults are:
 * - strict SQL mode: a value too long for its column is an error, as on PostgreSQL,
 *   never a silent truncation; `ONLY_FULL_GROUP_BY` refuses what PostgreSQL refuses;
 * - READ COMMITTED, PostgreSQL's default: each statement sees what committed before it.
 *   Under MariaDB's REPEATABLE READ a transaction that read before it waited for a lock
 *   would count quota usage from its stale snapshot;
 * - UTC, and the connection collation of the columns.
 */
export const MARIADB_SESSION_SETUP: readonly string[] = [
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY', time_zone = '+00:00'",
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
  `SET NAMES utf8mb4 COLLATE ${MARIADB_COLLATION}`,
];
