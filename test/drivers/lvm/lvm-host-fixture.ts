import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LvmHostTransport } from '../../../drivers/lvm/test-host/transport.js';
import { scaledMs } from '../../helpers/budget.js';
import { describeOutcome, runChild } from '../../helpers/run-child.js';

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
    await runChild([path.join(scripts, 'stop.sh'), dir], { name: 'lvm-host stop.sh', ms: 30_000, waitingFor: 'the test host to stop' }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The boot limit start.sh enforces is scaled to the machine now; the budget around the
    // script (idle-machine time) also covers a first build of the guest tree.
    const bootS = Math.ceil(scaledMs(90_000) / 1000);
    const argv = [path.join(scripts, 'start.sh'), dir, '--disk-size', options.diskSize ?? '16G', '--vg', options.vg ?? 'ashlar', '--timeout', String(bootS)];
    const started = await runChild(argv, { name: 'lvm-host start.sh', ms: 180_000, waitingFor: 'start.sh to print the path of host.json' });
    if (started.code !== 0) throw new Error(describeOutcome(started, 6));
    const stdout = started.stdout;
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
    await stop();
    return { unavailable: `scripts/lvm-host/start.sh failed: ${(err as Error).message.trim().split('\n').slice(-6).join(' | ')}` };
  }
}
