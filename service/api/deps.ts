import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/service-config.js';
import type { DataGeneration } from '../db/generation.js';
import type { Database, WorkTable } from '../db/tables.js';
import type { BackendRegistry } from '../manager/backends.js';
import type { VolumeManager } from '../manager/volume-manager.js';
import type { Scheduler } from '../scheduler/scheduler.js';

/** What the API routes use. */
export interface ApiDeps {
  readonly config: ServiceConfig;
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  /** Changes with every write to the database (SQLite only); cached answers key on it. */
  readonly generation?: DataGeneration | undefined;
  readonly scheduler: Scheduler;
  /** Present when this process also runs the volume manager (role all). */
  readonly manager: VolumeManager | undefined;
  /** Backends of this process (role all); synchronous calls (connections) need them. */
  readonly backends: BackendRegistry | undefined;
  /** Hands freshly written work to the local manager, if any (others poll). */
  submit(row: WorkTable): void;
}
