import type { PoolState } from './pool-state.js';

/** What is being placed. */
export interface PlacementRequest {
  readonly sizeGiB: number;
  readonly availabilityZone: string;
  /** Extra specs of the volume type. */
  readonly extraSpecs: Readonly<Record<string, string>>;
}

/** A filter: passes a pool, or says why not. */
export interface Filter {
  readonly name: string;
  check(pool: PoolState, req: PlacementRequest): string | undefined;
}

/** The pool must be in the requested availability zone. */
export const availabilityZoneFilter: Filter = {
  name: 'AvailabilityZoneFilter',
  check: (pool, req) => (pool.availabilityZone === req.availabilityZone ? undefined : `zone ${pool.availabilityZone} is not ${req.availabilityZone}`),
};

/** True when the volume type asks for thin provisioning and the pool can do it. */
export function wantsThin(pool: PoolState, extraSpecs: Readonly<Record<string, string>>): boolean {
  const type = extraSpecs['provisioning:type'];
  if (type === 'thick') return false;
  return pool.thin && (type === 'thin' || !pool.thick || type === undefined);
}

/**
 * Room for the volume: thick pools need free space above the reserved share; thin pools
 * may over-subscribe up to `max_over_subscription_ratio` of their total, counting the
 * provisioned sizes (Cinder's capacity filter).
 */
export const capacityFilter: Filter = {
  name: 'CapacityFilter',
  check(pool, req) {
    const { totalGiB: total, freeGiB: free } = pool;
    if (free === 'infinite' || free === 'unknown' || total === 'infinite' || total === 'unknown') return undefined;
    const reserved = (total * pool.reservedPercentage) / 100;
    const usable = free - reserved;
    if (total <= 0) return 'total capacity is 0';
    if (wantsThin(pool, req.extraSpecs) && pool.maxOverSubscriptionRatio >= 1) {
      const ratio = (pool.provisionedGiB + req.sizeGiB) / total;
      if (ratio > pool.maxOverSubscriptionRatio) {
        return `provisioned ratio ${ratio.toFixed(2)} would exceed max_over_subscription_ratio ${pool.maxOverSubscriptionRatio}`;
      }
      return usable * pool.maxOverSubscriptionRatio >= req.sizeGiB ? undefined : `virtual free ${(usable * pool.maxOverSubscriptionRatio).toFixed(2)} GiB < ${req.sizeGiB} GiB`;
    }
    if (!pool.thick) return 'thick provisioning requested but not supported';
    return usable >= req.sizeGiB ? undefined : `free ${usable.toFixed(2)} GiB (after ${pool.reservedPercentage}% reserved) < ${req.sizeGiB} GiB`;
  },
};

/**
 * Extra specs against the pool's reported capabilities. Scoped keys (`scope:key`) are
 * ignored except `capabilities:key`. Values may use Cinder's operators: `<is> True`,
 * `<in> x`, `<or> a <or> b`, `== n`, `!= n`, `>= n`, `<= n`, `s== x`, `s!= x`; a bare value
 * compares as a string.
 */
export const capabilitiesFilter: Filter = {
  name: 'CapabilitiesFilter',
  check(pool, req) {
    for (const [rawKey, want] of Object.entries(req.extraSpecs)) {
      let key = rawKey;
      const colon = rawKey.indexOf(':');
      if (colon >= 0) {
        if (rawKey.slice(0, colon) !== 'capabilities') continue;
        key = rawKey.slice(colon + 1);
      }
      const have = pool.capabilities[key];
      if (!matches(have, want)) return `${rawKey} wants "${want}", backend has ${have === undefined ? 'nothing' : JSON.stringify(have)}`;
    }
    return undefined;
  },
};

/** Cinder's extra-spec operators. */
export function matches(have: unknown, want: string): boolean {
  if (have === undefined || have === null) return false;
  const words = want.trim().split(/\s+/);
  const op = words[0]!;
  const rest = want.trim().slice(op.length).trim();
  const num = (v: unknown): number => Number(v);
  switch (op) {
    case '<is>':
      return String(have).toLowerCase() === rest.toLowerCase();
    case '<in>':
      return String(have).includes(rest);
    case '<or>':
      return want.split('<or>').map((s) => s.trim()).filter(Boolean).includes(String(have));
    case '==':
      return num(have) === num(rest);
    case '!=':
      return num(have) !== num(rest);
    case '>=':
      return num(have) >= num(rest);
    case '<=':
      return num(have) <= num(rest);
    case 's==':
      return String(have) === rest;
    case 's!=':
      return String(have) !== rest;
    default:
      return typeof have === 'boolean' ? String(have).toLowerCase() === want.trim().toLowerCase() : String(have) === want;
  }
}

/** Filters in the order they run. */
export const DEFAULT_FILTERS: readonly Filter[] = [availabilityZoneFilter, capacityFilter, capabilitiesFilter];
