import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/service-config.js';
import type { Database, WorkTable } from '../db/tables.js';
import type { BackendRegistry } from '../manager/backends.js';
import type { Scheduler } from '../scheduler/scheduler.js';

/** What the domain operations use: the database, the configuration and the volume service. */
export interface DomainDeps {
  readonly config: ServiceConfig;
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  /** Backends of this process (role all); synchronous calls (connections) need them. */
  readonly backends: BackendRegistry | undefined;
  /** Hands freshly written work to the local manager, if any (others poll). */
  submit(row: WorkTable): void;
}
