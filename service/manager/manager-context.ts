import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Coordinator } from '../coordination/coordinator.js';
import type { Database } from '../db/tables.js';
import type { Backend, BackendRegistry } from './backends.js';
import type { MessageRecorder } from './messages.js';

/** What the volume manager's parts share. */
export interface ManagerContext {
  /** The service host whose work this manager runs (`host` of `host@backend#pool`). */
  readonly host: string;
  readonly db: Kysely<Database>;
  readonly backends: BackendRegistry;
  readonly coordinator: Coordinator;
  readonly messages: MessageRecorder;
  readonly logger: Logger;
  /** Called after a volume's capacity on a backend changed (scheduler bookkeeping). */
  readonly onCapacityChange?: ((backend: Backend) => void) | undefined;
  /**
   * This process as the owner of the work it claims, when other volume services may serve
   * the same host (active-active); unset, this process is the only one and never claims.
   */
  readonly claimOwner?: string | undefined;
}
