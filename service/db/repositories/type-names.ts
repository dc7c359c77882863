import type { Kysely } from 'kysely';
import type { Database } from '../tables.js';

/**
 * Volume type id → name, for list views. Type names change rarely: one query serves every
 * list for up to a second. One instance per service (never process-global), so two
 * services in one process never see each other's types; a type's rename or delete in
 * this process forgets the map at once.
 */
export class TypeNames {
  readonly #db: Kysely<Database>;
  #cached: { at: number; map: Map<string, string> } | undefined;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The current map (at most a second old). */
  async get(): Promise<Map<string, string>> {
    if (this.#cached && Date.now() - this.#cached.at < 1000) return this.#cached.map;
    const rows = await this.#db.selectFrom('volume_types').select(['id', 'name']).execute();
    this.#cached = { at: Date.now(), map: new Map(rows.map((r) => [r.id, r.name])) };
    return this.#cached.map;
  }

  /** Forgets the map (after a type is created, renamed or deleted). */
  invalidate(): void {
    this.#cached = undefined;
  }
}
