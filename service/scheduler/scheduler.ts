import { AshlarError } from '../../core/errors/ashlar-error.js';
import { DEFAULT_FILTERS, type Filter, type PlacementRequest } from './filters.js';
import type { PoolState } from './pool-state.js';
import { capacityWeight } from './weigher.js';

/** Where the scheduler gets pool states from (driver stats, in-process or from the database). */
export interface PoolSource {
  pools(): Promise<PoolState[]>;
}

/** The scheduler's choice. */
export interface Placement {
  /** `host@backend#pool`. */
  readonly host: string;
  readonly backendHost: string;
}

/**
 * Filter-then-weigh placement of new volumes, as Cinder's filter scheduler does. Between
 * stats reports it charges each placement against the pool it chose, so a burst of
 * creates spreads over pools instead of piling onto the one that looked emptiest.
 */
export class Scheduler {
  readonly #source: PoolSource;
  readonly #filters: readonly Filter[];
  readonly #multiplier: number;
  /** GiB placed on each pool since its last stats report. */
  readonly #consumed = new Map<string, number>();
  #lastPools: PoolState[] = [];

  constructor(source: PoolSource, options: { capacityWeightMultiplier: number; filters?: readonly Filter[] }) {
    this.#source = source;
    this.#multiplier = options.capacityWeightMultiplier;
    this.#filters = options.filters ?? DEFAULT_FILTERS;
  }

  /** Forgets placements charged against pools whose stats were just refreshed. */
  statsRefreshed(backendHost: string): void {
    for (const key of this.#consumed.keys()) if (key.startsWith(`${backendHost}#`)) this.#consumed.delete(key);
  }

  /** The pools as last seen, with charges applied (for get_pools). */
  async pools(): Promise<PoolState[]> {
    this.#lastPools = (await this.#source.pools()).map((p) => this.#charged(p));
    return this.#lastPools;
  }

  /** Picks a pool. @throws NO_VALID_BACKEND saying which filter refused each pool. */
  async select(req: PlacementRequest): Promise<Placement> {
    const pools = await this.pools();
    const passed: PoolState[] = [];
    const refusals: string[] = [];
    for (const pool of pools) {
      const refusal = this.#refusal(pool, req);
      if (refusal) refusals.push(`${pool.host}: ${refusal}`);
      else passed.push(pool);
    }
    if (passed.length === 0) {
      throw new AshlarError('NO_VALID_BACKEND', { details: { reason: pools.length === 0 ? 'no volume backend has reported its stats' : refusals.join('; ') } });
    }
    let best = passed[0]!;
    let bestWeight = capacityWeight(best, req, this.#multiplier);
    for (const pool of passed.slice(1)) {
      const w = capacityWeight(pool, req, this.#multiplier);
      if (w > bestWeight) {
        best = pool;
        bestWeight = w;
      }
    }
    this.#consumed.set(best.host, (this.#consumed.get(best.host) ?? 0) + req.sizeGiB);
    return { host: best.host, backendHost: best.backendHost };
  }

  /**
   * Why the pool `host` (`host@backend#pool`) would refuse `req`, or undefined when every
   * filter passes it. Retype asks this about a volume's current pool.
   */
  async refusal(host: string, req: PlacementRequest): Promise<string | undefined> {
    const pool = (await this.pools()).find((p) => p.host === host);
    if (!pool) return `pool ${host || '(none)'} has not reported its stats`;
    return this.#refusal(pool, req);
  }

  #refusal(pool: PoolState, req: PlacementRequest): string | undefined {
    for (const f of this.#filters) {
      const why = f.check(pool, req);
      if (why) return `${f.name}: ${why}`;
    }
    return undefined;
  }

  #charged(pool: PoolState): PoolState {
    const used = this.#consumed.get(pool.host) ?? 0;
    if (used === 0) return pool;
    return {
      ...pool,
      freeGiB: typeof pool.freeGiB === 'number' && !pool.thin ? pool.freeGiB - used : pool.freeGiB,
      provisionedGiB: pool.provisionedGiB + used,
    };
  }
}
