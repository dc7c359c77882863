import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { PoolState } from './pool-state.js';
import type { PoolSource } from './scheduler.js';

/**
 * The pools of another source minus those of volume services an operator disabled
 * (`os-services/disable`) or froze (`os-services/freeze`): Cinder's scheduler places
 * nothing there and get_pools does not list them. A cluster's pools stay while any member
 * of the cluster is enabled.
 */
export class EnabledPoolSource implements PoolSource {
  constructor(
    private readonly inner: PoolSource,
    private readonly db: Kysely<Database>,
  ) {}

  async pools(): Promise<PoolState[]> {
    const [pools, services] = await Promise.all([
      this.inner.pools(),
      this.db.selectFrom('services').select(['host', 'cluster_name', 'disabled', 'frozen']).where('binary', '=', 'cinder-volume').execute(),
    ]);
    const excluded = excludedBackendHosts(services);
    return excluded.size === 0 ? pools : pools.filter((p) => !excluded.has(p.backendHost));
  }
}

/**
 * The backend hosts that get no volumes: each disabled or frozen service's own host, and
 * a cluster's `cluster@backend` once none of its members is left enabled and thawed (the
 * cluster serves as long as one member does).
 */
export function excludedBackendHosts(services: readonly { host: string; cluster_name: string | null; disabled: number; frozen: number }[]): Set<string> {
  const excluded = new Set<string>();
  const clusterServing = new Map<string, boolean>();
  for (const s of services) {
    const off = s.disabled === 1 || s.frozen === 1;
    if (off) excluded.add(s.host);
    if (s.cluster_name !== null) clusterServing.set(s.cluster_name, (clusterServing.get(s.cluster_name) ?? false) || !off);
  }
  for (const [cluster, serving] of clusterServing) if (!serving) excluded.add(cluster);
  return excluded;
}
