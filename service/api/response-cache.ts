/**
 * Serialized JSON answers of read-only routes, valid for one database generation (see
 * DataGeneration): any write, here or in another process on the same SQLite file, changes
 * the generation and empties the cache, so an answer is only ever reused while the data it
 * was built from is unchanged. Bounded by total size, because a detail list of a few
 * hundred volumes is a few hundred kilobytes.
 */
export class ResponseCache {
  readonly #entries = new Map<string, string>();
  readonly #maxBytes: number;
  #generation = '';
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The cached body for `key`, if it was stored at `generation`. */
  get(generation: string, key: string): string | undefined {
    if (generation !== this.#generation) return undefined;
    return this.#entries.get(key);
  }

  /** Stores a body built from data read at `generation` (read before the data was). */
  set(generation: string, key: string, body: string): void {
    if (generation !== this.#generation) {
      this.#entries.clear();
      this.#bytes = 0;
      this.#generation = generation;
    }
    if (body.length > this.#maxBytes) return;
    // Oldest first: Map iteration follows insertion order.
    for (const [k, v] of this.#entries) {
      if (this.#bytes + body.length <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= v.length;
    }
    this.#entries.set(key, body);
    this.#bytes += body.length;
  }
}
