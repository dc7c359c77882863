import type { ConnectionInfo } from '../contract/types.js';
import { AshlarError } from '../errors/ashlar-error.js';
import type { Connector, ConnectorContext, VolumeConnection } from './connector.js';
import { HostDeviceConnector } from './host-device-connector.js';
import { LocalConnector } from './local-connector.js';
import { RbdConnector } from './rbd-connector.js';

const connectors = new Map<string, Connector>([
  ['local', new LocalConnector()],
  ['host_device', new HostDeviceConnector()],
  ['rbd', new RbdConnector()],
]);

/** Adds (or replaces) the connector of a protocol; drivers with their own data path register one. */
export function registerConnector(connector: Connector): void {
  connectors.set(connector.protocol, connector);
}

/** The connector for a protocol, if any is registered. */
export function connectorFor(protocol: string): Connector | undefined {
  return connectors.get(protocol);
}

/**
 * Opens a data path for a connection info.
 *
 * @throws NOT_SUPPORTED when no connector handles its protocol.
 */
export async function connect(info: ConnectionInfo, context: ConnectorContext = {}): Promise<VolumeConnection> {
  const connector = connectors.get(info.driver_volume_type);
  if (!connector) {
    throw new AshlarError('NOT_SUPPORTED', { details: { operation: `attach ${info.driver_volume_type}`, driver: 'connectors' } });
  }
  return connector.connect(info, context);
}
