import type { BackendStats, PoolStats } from '../../core/contract/types.js';

/** What the scheduler knows about one pool (`host@backend#pool`). */
export interface PoolState {
  /** `host@backend#pool`. */
  readonly host: string;
  /** `host@backend`: the backend that owns the pool. */
  readonly backendHost: string;
  readonly availabilityZone: string;
  /** Backend-level stats with this pool's keys laid over them. */
  readonly capabilities: Record<string, unknown>;
  totalGiB: number | 'infinite' | 'unknown';
  freeGiB: number | 'infinite' | 'unknown';
  provisionedGiB: number;
  readonly reservedPercentage: number;
  readonly maxOverSubscriptionRatio: number;
  readonly thin: boolean;
  readonly thick: boolean;
}

/** Splits a stats report into pool states (a backend without pools is one pool named after it). */
export function poolsFromStats(backendHost: string, availabilityZone: string, stats: BackendStats): PoolState[] {
  const pools: PoolStats[] = stats.pools && stats.pools.length > 0 ? stats.pools : [{ ...stats, pool_name: stats.volume_backend_name } as PoolStats];
  const { pools: _omit, ...backendLevel } = stats;
  return pools.map((p) => {
    const caps: Record<string, unknown> = { ...backendLevel, ...p };
    const ratio = Number(caps.max_over_subscription_ratio ?? 1);
    return {
      host: `${backendHost}#${p.pool_name}`,
      backendHost,
      availabilityZone,
      capabilities: caps,
      totalGiB: p.total_capacity_gb,
      freeGiB: p.free_capacity_gb,
      provisionedGiB: Number(caps.provisioned_capacity_gb ?? caps.allocated_capacity_gb ?? 0),
      reservedPercentage: Number(caps.reserved_percentage ?? 0),
      maxOverSubscriptionRatio: Number.isFinite(ratio) && ratio >= 1 ? ratio : 1,
      thin: caps.thin_provisioning_support === true,
      thick: caps.thick_provisioning_support !== false,
    };
  });
}
