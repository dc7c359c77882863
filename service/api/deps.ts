import type { DataGeneration } from '../db/generation.js';
import type { DomainDeps } from '../domain/deps.js';
import type { VolumeManager } from '../manager/volume-manager.js';

/** What the API routes use: the domain's dependencies, plus what only the API needs. */
export interface ApiDeps extends DomainDeps {
  /** Changes with every write to the database (SQLite only); cached answers key on it. */
  readonly generation?: DataGeneration | undefined;
  /** Present when this process also runs the volume manager (role all). */
  readonly manager: VolumeManager | undefined;
}
