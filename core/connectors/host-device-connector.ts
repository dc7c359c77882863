import type { ConnectionInfo } from '../contract/types.js';
import { AshlarError } from '../errors/ashlar-error.js';
import type { Connector, ConnectorContext, VolumeConnection } from './connector.js';

/** `/dev/<dir>/<name>` or `/dev/<name>`: no `..`, no doubled or trailing slashes, no leading '-'. */
const DEVICE_PATH = /^\/dev\/(?:[A-Za-z0-9+_.][A-Za-z0-9+_.-]*\/)?[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;

/** Per-call time limit of one data transfer, per MiB moved, on top of a 30 s base. */
const MS_PER_MiB = 1000;

/**
 * Reads and writes a `host_device` volume: a block device on the storage host that the
 * driver's command transport reaches. Data moves with `dd` on that host (stdin/stdout
 * through the transport), run by the driver's own executor, so its allow-list applies:
 * the driver must allow-list `dd` and `blockdev`.
 *
 * @remarks Byte offsets use `iflag=skip_bytes,count_bytes` / `oflag=seek_bytes` (GNU
 * coreutils ≥ 8.16 and busybox ≥ 1.33 both accept them; measured on the UML test host's
 * busybox 1.35), so unaligned I/O needs no read-modify-write.
 */
export class HostDeviceConnector implements Connector {
  readonly protocol = 'host_device' as const;

  async connect(info: ConnectionInfo, context: ConnectorContext): Promise<VolumeConnection> {
    if (info.driver_volume_type !== 'host_device') {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `host_device connector cannot attach ${info.driver_volume_type}` } });
    }
    const device = info.data.device_path;
    if (!DEVICE_PATH.test(device) || device.split('/').some((part) => part === '.' || part === '..')) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `device_path must be a plain /dev path, got ${JSON.stringify(device)}` } });
    }
    const executor = context.executor;
    if (executor === undefined) {
      throw new AshlarError('INVALID_ARGUMENT', {
        details: { reason: `host_device needs the driver's executor to reach ${info.data.transport}; pass { executor } to connect()` },
      });
    }
    const readOnly = info.data.access_mode === 'ro';
    const signal = context.signal;
    const run = async (argv: string[], bytes: number, stdin?: Buffer): Promise<Buffer> => {
      const result = await executor.run(argv, { stdin, signal, timeoutMs: 30_000 + Math.ceil(bytes / 1024 ** 2) * MS_PER_MiB });
      if (result.exitCode !== 0) throw failure(argv, result.exitCode, result.stderr.toString('utf8'), device);
      return result.stdout;
    };
    return {
      async read(offset, length) {
        checkRange(offset, length);
        if (length === 0) return Buffer.alloc(0);
        return run(['dd', `if=${device}`, 'bs=1M', 'iflag=skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`, 'status=none'], length);
      },
      async write(offset, data) {
        if (readOnly) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'connection is read-only' } });
        checkRange(offset, data.length);
        if (data.length === 0) return;
        await run(['dd', `of=${device}`, 'bs=1M', 'oflag=seek_bytes', `seek=${offset}`, 'conv=notrunc,fsync', 'status=none'], data.length, data);
      },
      async size() {
        const out = await run(['blockdev', '--getsize64', device], 0);
        const size = Number(out.toString('utf8').trim());
        if (!Number.isSafeInteger(size)) throw new AshlarError('BACKEND_ERROR', { details: { reason: `blockdev gave ${JSON.stringify(out.toString('utf8').slice(0, 40))} for ${device}` } });
        return size;
      },
      async close() {
        // Nothing is held open between calls: every transfer is its own dd.
      },
    };
  }
}

function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `offset and length must be non-negative integers, got ${offset}, ${length}` } });
  }
}

function failure(argv: readonly string[], exitCode: number, stderr: string, device: string): AshlarError {
  // A write past the end: dd wrote what fitted and stopped (no size probe per write, to keep one command per call).
  if (/No space left on device|Invalid argument/i.test(stderr)) {
    return new AshlarError('INVALID_ARGUMENT', { details: { reason: `write goes past the end of ${device}` } });
  }
  if (/No such file|No such device|can't open/i.test(stderr)) {
    return new AshlarError('VOLUME_NOT_FOUND', { details: { id: device, reason: stderr.trim().slice(0, 300) } });
  }
  return new AshlarError('COMMAND_FAILED', { details: { command: argv.join(' '), exitCode, stderr: stderr.trim().slice(0, 500) } });
}

