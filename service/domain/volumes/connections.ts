/** Exports of a volume to hosts (os-initialize_connection / os-terminate_connection). */
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { ConnectionInfo, ConnectorProperties } from '../../../core/contract/types.js';
import type { VolumesTable } from '../../db/tables.js';
import type { DomainDeps } from '../deps.js';
import { backendOf } from './backend-of.js';
import { toDriverVolume } from './to-driver-volume.js';
import type { VolumeStatus } from './volume-states.js';

const CONNECTABLE: readonly VolumeStatus[] = ['available', 'attaching', 'reserved', 'in-use', 'detaching'];

/**
 * Exports the volume to the connector's host and returns the connection info.
 *
 * @throws INVALID_STATE outside the statuses a connection makes sense in; BACKEND_UNAVAILABLE.
 */
export async function initializeConnection(deps: DomainDeps, v: VolumesTable, connector: ConnectorProperties): Promise<ConnectionInfo> {
  if (!(CONNECTABLE as readonly string[]).includes(v.status)) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `initialize_connection: volume status must be available, attaching, reserved or in-use, not ${v.status}.` } });
  }
  const backend = backendOf(deps, v.host);
  const { connectionInfo } = await backend.driver.initializeConnection({ volume: await toDriverVolume(deps.db, v), connector });
  return connectionInfo;
}

/** Revokes a host's access (no connector: every host's). */
export async function terminateConnection(deps: DomainDeps, v: VolumesTable, connector: ConnectorProperties | undefined): Promise<void> {
  const backend = backendOf(deps, v.host);
  await backend.driver.terminateConnection({ volume: await toDriverVolume(deps.db, v), ...(connector ? { connector } : {}) });
}
