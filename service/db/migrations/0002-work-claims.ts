import type { Kysely, Migration } from 'kysely';

/**
 * Version 2: a work record names the process running it (active-active volume services
 * on one backend host), and when that process last confirmed it is alive.
 */
export const workClaims: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('work').addColumn('owner', 'varchar(64)').execute();
    await db.schema.alterTable('work').addColumn('claimed_at', 'varchar(32)').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('work').dropColumn('claimed_at').execute();
    await db.schema.alterTable('work').dropColumn('owner').execute();
  },
};
