import type { Migration } from 'kysely';
import { initial } from './0001-initial.js';
import { workClaims } from './0002-work-claims.js';
import { auxTables } from './0003-aux-tables.js';

/**
 * Every migration, by name; names sort in the order they run. Never edit a released
 * migration: add the next one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-work-claims': workClaims,
  '0003-aux-tables': auxTables,
};
