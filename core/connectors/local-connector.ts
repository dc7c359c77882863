import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionInfo } from '../contract/types.js';
import { AshlarError } from '../errors/ashlar-error.js';
import type { Connector, VolumeConnection } from './connector.js';

/** Reads and writes a `local` volume: a file or block device path on this host. */
export class LocalConnector implements Connector {
  readonly protocol = 'local' as const;

  async connect(info: ConnectionInfo): Promise<VolumeConnection> {
    if (info.driver_volume_type !== 'local') {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `local connector cannot attach ${info.driver_volume_type}` } });
    }
    const device = info.data.device_path;
    if (!path.isAbsolute(device) || path.normalize(device) !== device) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `device_path must be an absolute normalized path, got ${JSON.stringify(device)}` } });
    }
    const readOnly = info.data.access_mode === 'ro';
    const fh = await open(device, readOnly ? 'r' : 'r+').catch((err: NodeJS.ErrnoException) => {
      throw new AshlarError(err.code === 'ENOENT' ? 'VOLUME_NOT_FOUND' : 'BACKEND_ERROR', {
        details: { id: device, reason: `cannot open ${device}: ${err.message}` },
        cause: err,
      });
    });
    return {
      async read(offset, length) {
        const buf = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buf.subarray(0, done);
      },
      async write(offset, data) {
        if (readOnly) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: 'connection is read-only' } });
        let done = 0;
        while (done < data.length) {
          const { bytesWritten } = await fh.write(data, done, data.length - done, offset + done);
          done += bytesWritten;
        }
        await fh.datasync();
      },
      async size() {
        return (await fh.stat()).size;
      },
      async close() {
        await fh.close();
      },
    };
  }
}
