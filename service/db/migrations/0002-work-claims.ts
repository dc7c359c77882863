import type { Kysely, Migration } from 'kysely';
import type { SchemaDialect } from './schema-dialect.js';

/**
 * Version 2: a work record names the process running it (active-active volume services
 * on one backend host), and when that process last confirmed it is alive.
 */
export const workClaims = (d: SchemaDialect): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await d.addColumnIfMissing(db, 'work', 'owner', 'varchar(64)');
    await d.addColumnIfMissing(db, 'work', 'claimed_at', 'varchar(32)');
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await d.dropColumnIfPresent(db, 'work', 'claimed_at');
    await d.dropColumnIfPresent(db, 'work', 'owner');
  },
});
