import { wantsThin, type PlacementRequest } from './filters.js';
import type { PoolState } from './pool-state.js';

/**
 * Cinder's capacity weigher: the free capacity a pool would offer the volume (virtual free
 * capacity for thin pools), times a multiplier. Positive multipliers spread volumes over
 * the emptiest pools; negative ones stack them. Unknown or infinite capacity weighs the
 * most, as in Cinder.
 */
export function capacityWeight(pool: PoolState, req: PlacementRequest, multiplier: number): number {
  const { totalGiB: total, freeGiB: free } = pool;
  if (free === 'infinite' || free === 'unknown' || total === 'infinite' || total === 'unknown') return multiplier * Number.MAX_SAFE_INTEGER;
  const reserved = (total * pool.reservedPercentage) / 100;
  const usable = free - reserved;
  const virtual = wantsThin(pool, req.extraSpecs) ? total * pool.maxOverSubscriptionRatio - pool.provisionedGiB - reserved : usable;
  return multiplier * virtual;
}
