import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LvmHostTransport } from '../../../drivers/lvm/test-host/transport.js';

const run = promisify(execFile);
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/lvm-host');

/** A running UML LVM test host. */
export interface LvmHost {
  readonly dir: string;
  readonly hostJson: string;
  readonly transport: LvmHostTransport;
  /** Stops the guest (by the PIDs start.sh recorded) and removes the state folder. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway LVM host with scripts/lvm-host/start.sh, or returns the reason it
 * cannot (not root, packages unavailable, ...).
 */
export async function startLvmHost(options: { diskSize?: string; vg?: string } = {}): Promise<LvmHost | { unavailable: string }> {
  // The socket path must fit 108 bytes: keep the folder short.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lvm-'));
  const stop = async (): Promise<void> => {
    await run(path.join(scripts, 'stop.sh'), [dir], { timeout: 30_000 }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const { stdout } = await run(path.join(scripts, 'start.sh'), [dir, '--disk-size', options.diskSize ?? '16G', '--vg', options.vg ?? 'ashlar'], {
      timeout: 180_000,
    });
    const hostJson = stdout.trim().split('\n').pop() ?? '';
    const transport = new LvmHostTransport(hostJson);
    return {
      dir,
      hostJson,
      transport,
      async stop() {
        await transport.close();
        await stop();
      },
    };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    await stop();
    return { unavailable: `scripts/lvm-host/start.sh failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-6).join(' | ')}` };
  }
}
