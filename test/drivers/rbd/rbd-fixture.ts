import { randomBytes } from 'node:crypto';
import { connect, type VolumeConnection } from '../../../core/connectors/index.js';
import type { DriverVolume } from '../../../core/contract/index.js';
import { instantiateDriver, type DriverInstance } from '../../../core/plugins/index.js';
import { scaledMs } from '../../helpers/budget.js';
import { admin, type TestCluster } from './ceph-cluster.js';
import { loadDriverPlugin } from '../../../cli/builtin-drivers.js';

/**
 * Creates an rbd driver instance on the cluster through the public plugin API. Its command
 * limit is 60 s scaled to the machine's slowness when the instance is made.
 */
export async function rbdInstance(cluster: TestCluster, config: Record<string, unknown> = {}): Promise<DriverInstance> {
  const loaded = await loadDriverPlugin('rbd');
  return instantiateDriver(loaded, { config: { pool: 'rbd', cephConf: cluster.conf, commandTimeoutMs: scaledMs(60_000), ...config } });
}

/** A fresh volume record with a unique id. */
export function newVolume(sizeGiB = 1, extra: Partial<DriverVolume> = {}): DriverVolume {
  return { id: `t${randomBytes(6).toString('hex')}`, sizeGiB, ...extra };
}

/** Attaches a volume through the driver and the rbd connector (with the driver's executor). */
export async function attach(instance: DriverInstance, volume: DriverVolume): Promise<VolumeConnection> {
  const { connectionInfo } = await instance.driver.initializeConnection({ volume, connector: { host: 'test-host' } });
  return connect(connectionInfo, { executor: instance.executor });
}

/** Writes `data` at `offset` and closes the connection. */
export async function writeAt(instance: DriverInstance, volume: DriverVolume, offset: number, data: Buffer): Promise<void> {
  const conn = await attach(instance, volume);
  try {
    await conn.write(offset, data);
  } finally {
    await conn.close();
  }
}

/** Reads `length` bytes at `offset`. */
export async function readAt(instance: DriverInstance, volume: DriverVolume, offset: number, length: number): Promise<Buffer> {
  const conn = await attach(instance, volume);
  try {
    return await conn.read(offset, length);
  } finally {
    await conn.close();
  }
}

/** Image names in the pool (admin view). */
export async function images(cluster: TestCluster): Promise<string[]> {
  return JSON.parse((await admin(cluster, 'rbd', ['ls', '--format', 'json', 'rbd'])) || '[]') as string[];
}

/** Trash entries of the pool (admin view). */
export async function trash(cluster: TestCluster): Promise<{ id: string; name: string }[]> {
  return JSON.parse((await admin(cluster, 'rbd', ['trash', 'ls', '--format', 'json', 'rbd'])) || '[]') as { id: string; name: string }[];
}

/** The `parent` of an image, if it is a clone. */
export async function parentOf(cluster: TestCluster, image: string): Promise<{ image: string; trash: boolean } | undefined> {
  const info = JSON.parse(await admin(cluster, 'rbd', ['info', '--format', 'json', `rbd/${image}`])) as { parent?: { image: string; trash: boolean } };
  return info.parent;
}
