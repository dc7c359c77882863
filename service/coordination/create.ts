import type { Logger } from 'pino';
import { AshlarError, isAshlarError } from '../../core/errors/ashlar-error.js';
import type { CoordinationConfig } from '../config/coordination-url.js';
import type { Coordinator } from './coordinator.js';
import { InProcessCoordinator } from './in-process.js';

/**
 * The coordinator `[coordination] backend_url` asks for. etcd's client (gRPC) is loaded
 * only when configured, so a single-process service does not pay for it at start-up.
 * @throws BACKEND_UNAVAILABLE naming `[coordination] backend_url` when etcd cannot be reached.
 */
export async function createCoordinator(config: CoordinationConfig, logger: Logger): Promise<Coordinator> {
  if (config.kind === 'memory') return new InProcessCoordinator();
  const { EtcdCoordinator } = await import('./etcd.js');
  try {
    return await EtcdCoordinator.connect({ endpoints: config.endpoints, lockTimeoutS: config.lockTimeoutS, logger });
  } catch (err) {
    const reason = isAshlarError(err) ? String(err.details.reason ?? err.message) : String(err);
    throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `[coordination] backend_url: ${reason}` }, cause: err });
  }
}
