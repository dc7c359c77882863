import type { ConnectionInfo } from '../contract/types.js';
import type { Executor } from '../executor/executor.js';

/** An open data path to one volume: byte-addressed reads and writes. */
export interface VolumeConnection {
  /** Reads `length` bytes at `offset`; bytes past the end read as absent (shorter buffer). */
  read(offset: number, length: number): Promise<Buffer>;
  /** Writes `data` at `offset`, durably before the promise resolves. */
  write(offset: number, data: Buffer): Promise<void>;
  /** The volume's current size in bytes as the data path sees it. */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** What a connector may use to reach a volume. */
export interface ConnectorContext {
  /**
   * The executor of the driver that returned the connection info, for connectors that run
   * backend tools (rbd, dd on a storage host). Its allow-list applies.
   */
  readonly executor?: Executor | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Attaches volumes of one protocol on this host, in the spirit of os-brick. Conformance
 * uses connectors to check data integrity end to end.
 */
export interface Connector {
  /** The `driver_volume_type` it handles. */
  readonly protocol: ConnectionInfo['driver_volume_type'];
  connect(info: ConnectionInfo, context: ConnectorContext): Promise<VolumeConnection>;
}
