import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * A number that changes whenever the data in the database may have changed: every write
 * this process sends through kysely (counted when the statement is built and again when
 * it has run, so a read that overlaps a write never matches the number after it), plus
 * SQLite's `PRAGMA data_version`, which changes when another connection (an API-only or
 * volume-only process on the same file) commits. Response caches key on it.
 */
export class DataGeneration implements KyselyPlugin {
  #writes = 0;
  readonly #pending = new WeakSet<object>();
  readonly #external: () => number;

  /** @param external - Reads the database's own change counter for other connections. */
  constructor(external: () => number) {
    this.#external = external;
  }

  /** The current generation; equal values mean no write happened in between. */
  current(): string {
    return `${this.#writes}.${this.#external()}`;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind !== 'SelectQueryNode') {
      this.#writes++;
      this.#pending.add(args.queryId);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.delete(args.queryId)) this.#writes++;
    return args.result;
  }
}
