import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findOnPath } from '../../../core/plugins/dependencies.js';
import { requireBackend } from '../../helpers/backend-required.js';
import { scaledMs } from '../../helpers/budget.js';
import { describeOutcome, runChild } from '../../helpers/run-child.js';

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

/** Starts a cluster in a fresh temporary directory (about 2.5-5 s on an idle machine). */
export async function startCluster(options: { cephx?: boolean } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashlar-rbd-'));
  const args = ['bash', path.join(scripts, 'start-ceph.sh'), dir, ...(options.cephx ? ['--cephx'] : [])];
  // The script's own limit (ASHLAR_CEPH_START_TIMEOUT) is scaled to the machine now; the
  // budget around it counts idle-machine time.
  const env = { ...process.env, ASHLAR_CEPH_START_TIMEOUT: String(Math.ceil(scaledMs(60_000) / 1000)) };
  const outcome = await runChild(args, { name: 'start-ceph.sh', ms: 120_000, waitingFor: 'the throwaway Ceph cluster to be usable' }, { env });
  if (outcome.code !== 0) {
    await stopCluster({ dir, conf: '', cephx: false });
    throw new Error(`scripts/ceph/start-ceph.sh failed: ${describeOutcome(outcome, 20)}`);
  }
  return { dir, conf: outcome.stdout.trim().split('\n').at(-1)!, cephx: options.cephx === true };
}

/** Stops the daemons the start script recorded (by PID) and removes the directory. */
export async function stopCluster(cluster: TestCluster | undefined): Promise<void> {
  if (cluster === undefined) return;
  const outcome = await runChild(['bash', path.join(scripts, 'stop-ceph.sh'), cluster.dir, '--purge'], { name: 'stop-ceph.sh', ms: 60_000, waitingFor: 'the Ceph daemons to stop' });
  if (outcome.code !== 0) throw new Error(`scripts/ceph/stop-ceph.sh failed: ${describeOutcome(outcome, 20)}`);
}

/** Creates a cephx user with exactly these caps (TYPE, SPEC pairs); returns its keyring path. */
export async function addUser(cluster: TestCluster, client: string, caps: readonly string[]): Promise<string> {
  const outcome = await runChild(['bash', path.join(scripts, 'add-user.sh'), cluster.dir, client, ...caps], { name: 'add-user.sh', ms: 60_000, waitingFor: `cephx user ${client}` });
  if (outcome.code !== 0) throw new Error(`scripts/ceph/add-user.sh failed: ${describeOutcome(outcome, 20)}`);
  return outcome.stdout.trim().split('\n').at(-1)!;
}

/** Runs an admin `rbd` or `ceph` command against the cluster (test setup and inspection only). */
export async function admin(cluster: TestCluster, program: 'rbd' | 'ceph', args: readonly string[]): Promise<string> {
  // `timeout` because some Ceph commands hang forever without a mgr; its limit is scaled.
  const limitS = Math.ceil(scaledMs(60_000) / 1000);
  const { stdout } = await run('timeout', [String(limitS), program, '-c', cluster.conf, ...args], { maxBuffer: 64 * 1024 * 1024 }).catch((err: { code?: number; message: string }) => {
    throw err.code === 124 ? new Error(`budget "admin ${program} command" (${limitS} s, 60 s scaled) ran out waiting for: ${program} ${args.join(' ')}`) : err;
  });
  return stdout;
}
