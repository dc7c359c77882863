import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BackendStats } from '../../core/contract/types.js';
import type { RuntimeDriver } from '../../core/contract/runtime-driver.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { instantiateDriver } from '../../core/plugins/instantiate.js';
import { loadPlugin } from '../../core/plugins/loader.js';
import type { BackendConfig } from '../config/service-config.js';
import type { Database } from '../db/tables.js';
import { poolsFromStats, type PoolState } from '../scheduler/pool-state.js';
import { attributeInherited } from '../config/inherited-keys.js';
import type { PoolSource } from '../scheduler/scheduler.js';

/** One enabled backend with its driver. */
export interface Backend {
  readonly config: BackendConfig;
  /** `host@section`. */
  readonly host: string;
  readonly driver: RuntimeDriver;
  stats: BackendStats | undefined;
}

/** The backends this volume service runs, and the stats they report. */
export class BackendRegistry implements PoolSource {
  readonly #backends = new Map<string, Backend>();
  readonly #poolCache = new WeakMap<BackendStats, PoolState[]>();
  readonly #logger: Logger;

  private constructor(logger: Logger) {
    this.#logger = logger;
  }

  /**
   * Loads and sets up every configured backend (`builtins`: drivers known by a bare name). A driver option that fails its schema is
   * reported as CONFIG_INVALID naming the backend's section and key.
   */
  static async load(host: string, configs: readonly BackendConfig[], logger: Logger, builtins: Readonly<Record<string, string>>): Promise<BackendRegistry> {
    const registry = new BackendRegistry(logger);
    for (const config of configs) {
      const loaded = await loadPlugin(config.driver, { builtins });
      const instance = await instantiateDriver(loaded, { config: config.driverOptions, backendName: config.section, logger }).catch((err: unknown) => {
        throw attributeInherited(err, config.section, config.inheritedKeys ?? []);
      });
      registry.#backends.set(`${host}@${config.section}`, { config, host: `${host}@${config.section}`, driver: instance.driver, stats: undefined });
    }
    return registry;
  }

  /** All backends. */
  all(): Backend[] {
    return [...this.#backends.values()];
  }

  /** The backend of `host@backend[#pool]`. @throws BACKEND_UNAVAILABLE when this process does not run it. */
  forHost(volumeHost: string | null): Backend {
    const backendHost = (volumeHost ?? '').split('#')[0]!;
    const b = this.#backends.get(backendHost);
    if (!b) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `backend ${backendHost || '(none)'} is not served by this volume service` } });
    return b;
  }

  /** True when this process runs the backend of `host@backend[#pool]`. */
  owns(volumeHost: string | null): boolean {
    return this.#backends.has((volumeHost ?? '').split('#')[0]!);
  }

  /** Asks every driver for fresh stats; a failing backend keeps no stats (and gets no volumes). */
  async refreshStats(onRefreshed?: (backend: Backend) => Promise<void> | void): Promise<void> {
    await Promise.all(
      this.all().map(async (b) => {
        try {
          // The operator's volume_backend_name is what volume types select on, whatever the driver calls itself.
          b.stats = { ...(await b.driver.getStats({ refresh: true })).stats, volume_backend_name: b.config.backendName };
        } catch (err) {
          this.#logger.warn({ err, backend: b.host }, 'stats report failed');
          b.stats = undefined;
        }
        await onRefreshed?.(b);
      }),
    );
  }

  async pools(): Promise<PoolState[]> {
    return this.all().flatMap((b) => (b.stats ? this.#poolsOf(b, b.stats) : []));
  }

  /** Pool states of one stats report, computed once per report (every placement reads them). */
  #poolsOf(b: Backend, stats: BackendStats): PoolState[] {
    let pools = this.#poolCache.get(stats);
    if (!pools) {
      pools = poolsFromStats(b.host, b.config.availabilityZone, stats);
      this.#poolCache.set(stats, pools);
    }
    return pools;
  }

  async close(): Promise<void> {
    for (const b of this.all()) await b.driver.close().catch(() => undefined);
  }
}

/**
 * Pool states as volume services in other processes published them in the services table
 * (for an API-only process). Reports older than `maxAgeS` are ignored.
 */
export class DatabasePoolSource implements PoolSource {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxAgeS: number,
  ) {}

  async pools(): Promise<PoolState[]> {
    const rows = await this.db.selectFrom('services').selectAll().where('binary', '=', 'cinder-volume').where('disabled', '=', 0).where('frozen', '=', 0).execute();
    const cutoff = Date.now() - this.maxAgeS * 1000;
    // Members of a cluster all report the cluster's pools (`cluster@backend`): the freshest report counts once.
    const freshest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) {
      if (!r.capabilities || Date.parse(`${r.updated_at.slice(0, 23)}Z`) < cutoff) continue;
      const key = r.cluster_name ?? r.host;
      const seen = freshest.get(key);
      if (!seen || seen.updated_at < r.updated_at) freshest.set(key, r);
    }
    return [...freshest].flatMap(([backendHost, r]) => poolsFromStats(backendHost, r.availability_zone, JSON.parse(r.capabilities!) as BackendStats));
  }
}
