import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findOnPath } from '../../../core/plugins/dependencies.js';
import { requireBackend } from '../../helpers/backend-required.js';

const run = promisify(execFile);
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/ceph');

/** A throwaway single-node Ceph cluster started by scripts/ceph/start-ceph.sh. */
export interface TestCluster {
  readonly dir: string;
  readonly conf: string;
  readonly cephx: boolean;
}

/** Programs the rbd tests need; the first missing one, or undefined. */
export async function missingCephTool(): Promise<string | undefined> {
  for (const tool of ['ceph-mon', 'ceph-osd', 'ceph-mgr', 'ceph', 'rbd', 'qemu-io']) {
    if ((await findOnPath(tool)) === undefined) return tool;
  }
  return undefined;
}

/**
 * Skips the suite loudly when Ceph or qemu-io is missing, or fails it when CI=true (CI
 * must exercise the real cluster).
 */
export async function requireCeph(ctx: Mocha.Context): Promise<void> {
  const missing = await missingCephTool();
  requireBackend(ctx, missing === undefined, `a real Ceph cluster (${missing} is missing: scripts/ceph/install-ceph.sh; apt-get install qemu-utils qemu-block-extra)`);
}

/** Starts a cluster in a fresh temporary directory (about 2.5-5 s). */
export async function startCluster(options: { cephx?: boolean } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashlar-rbd-'));
  const args = [path.join(scripts, 'start-ceph.sh'), dir, ...(options.cephx ? ['--cephx'] : [])];
  try {
    const { stdout } = await run('bash', args, { timeout: 120_000 });
    return { dir, conf: stdout.trim().split('\n').at(-1)!, cephx: options.cephx === true };
  } catch (err) {
    await stopCluster({ dir, conf: '', cephx: false });
    throw err;
  }
}

/** Stops the daemons the start script recorded (by PID) and removes the directory. */
export async function stopCluster(cluster: TestCluster | undefined): Promise<void> {
  if (cluster === undefined) return;
  await run('bash', [path.join(scripts, 'stop-ceph.sh'), cluster.dir, '--purge'], { timeout: 60_000 });
}

/** Creates a cephx user with exactly these caps (TYPE, SPEC pairs); returns its keyring path. */
export async function addUser(cluster: TestCluster, client: string, caps: readonly string[]): Promise<string> {
  const { stdout } = await run('bash', [path.join(scripts, 'add-user.sh'), cluster.dir, client, ...caps], { timeout: 60_000 });
  return stdout.trim().split('\n').at(-1)!;
}

/** Runs an admin `rbd` or `ceph` command against the cluster (test setup and inspection only). */
export async function admin(cluster: TestCluster, program: 'rbd' | 'ceph', args: readonly string[]): Promise<string> {
  const { stdout } = await run('timeout', ['60', program, '-c', cluster.conf, ...args], { timeout: 70_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
