import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { Backend } from '../../manager/backends.js';
import type { DomainDeps } from '../deps.js';

/**
 * The backend that holds a volume, for calls the API makes synchronously (connections,
 * retype, migrate, manage).
 *
 * @throws BACKEND_UNAVAILABLE when this process runs no volume service (role api) or not
 * that backend.
 */
export function backendOf(deps: Pick<DomainDeps, 'backends'>, host: string | null): Backend {
  if (!deps.backends) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'connection calls need the volume service in this process (role all)' } });
  return deps.backends.forHost(host);
}
