import { randomBytes } from 'node:crypto';
import { connect, localInitiatorName, type VolumeConnection } from '../../../core/connectors/index.js';
import type { ConnectorProperties, DriverSnapshot, DriverVolume } from '../../../core/contract/index.js';
import { instantiateDriver, type DriverInstance } from '../../../core/plugins/index.js';
import { driverConfig, type SimCluster } from './simulator-fixture.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

/** This host as a connector: its real initiator name, which the iscsi connector logs in with. */
export const HOST: ConnectorProperties = { host: 'test-host', initiator: localInitiatorName() };

/** An ontap driver instance on a simulator cluster, as the driver's own (least-privilege) account. */
export async function ontapInstance(cluster: SimCluster, extra: Record<string, unknown> = {}): Promise<DriverInstance> {
  return instantiateDriver(await loadDriverPlugin('ontap'), { config: driverConfig(cluster, extra) });
}

/** A fresh volume record with a unique id. */
export function newVolume(sizeGiB = 1): DriverVolume {
  return { id: `t${randomBytes(6).toString('hex')}`, sizeGiB };
}

/** A fresh snapshot record of a volume. */
export function newSnapshot(volume: DriverVolume): DriverSnapshot {
  return { id: `s${randomBytes(5).toString('hex')}`, volumeId: volume.id, sizeGiB: volume.sizeGiB };
}

/** Attaches through the driver and the iscsi connector. */
export async function attach(instance: DriverInstance, volume: DriverVolume, connector = HOST): Promise<VolumeConnection> {
  const { connectionInfo } = await instance.driver.initializeConnection({ volume, connector });
  return connect(connectionInfo, { executor: instance.executor });
}

/** Writes through iSCSI, then detaches. */
export async function writeAt(instance: DriverInstance, volume: DriverVolume, offset: number, data: Buffer): Promise<void> {
  const conn = await attach(instance, volume);
  try {
    await conn.write(offset, data);
  } finally {
    await conn.close();
    await instance.driver.terminateConnection({ volume, connector: HOST });
  }
}

/** Reads through iSCSI, then detaches. */
export async function readAt(instance: DriverInstance, volume: DriverVolume, offset: number, length: number): Promise<Buffer> {
  const conn = await attach(instance, volume);
  try {
    return await conn.read(offset, length);
  } finally {
    await conn.close();
    await instance.driver.terminateConnection({ volume, connector: HOST });
  }
}
