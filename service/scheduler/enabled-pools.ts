import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { PoolState } from './pool-state.js';
import type { PoolSource } from './scheduler.js';

/**
 * The pools of another source minus those of volume services an operator disabled
 * (`os-services/disable`) or froze (`os-services/freeze`): Cinder's scheduler places
 * nothing there and get_pools does not list them.
 */
export class EnabledPoolSource implements PoolSource {
  constructor(
    private readonly inner: PoolSource,
    private readonly db: Kysely<Database>,
  ) {}

  async pools(): Promise<PoolState[]> {
    const [pools, off] = await Promise.all([
      this.inner.pools(),
      this.db.selectFrom('services').select('host').where('binary', '=', 'cinder-volume').where((eb) => eb.or([eb('disabled', '=', 1), eb('frozen', '=', 1)])).execute(),
    ]);
    if (off.length === 0) return pools;
    const excluded = new Set(off.map((r) => r.host));
    return pools.filter((p) => !excluded.has(p.backendHost));
  }
}
