import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rolePrivileges } from '../../../drivers/ontap/index.js';

const run = promisify(execFile);
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/ontap-sim');

/** One running simulator cluster. */
export interface SimCluster {
  readonly name: string;
  readonly dir: string;
  readonly configFile: string;
  readonly url: string;
  readonly port: number;
  readonly iscsiPort: number;
  pid: number;
}

/** Accounts every test cluster has: an admin, and the driver's account holding exactly the manifest's role. */
export const ADMIN = { name: 'admin', password: 'sim-admin-pw' } as const;
export const DRIVER_USER = { name: 'ashlar', password: 'sim-driver-pw' } as const;

/** The simulator's SVM and FlexVols in tests. */
export const SVM = 'svm1';
export const FLEXVOLS = ['cinder_a', 'cinder_b'] as const;

/** Skips (loudly) without tgt and qemu's iSCSI driver; under CI=true that is a failure. */
export async function requireTgt(ctx: Mocha.Context): Promise<void> {
  const missing: string[] = [];
  for (const bin of ['tgtd', 'tgtadm', 'qemu-io', 'qemu-img']) {
    await run('sh', ['-c', 'command -v "$1"', 'sh', bin]).catch(() => missing.push(bin));
  }
  if (missing.length === 0) return;
  const why = `ontap simulator tests need ${missing.join(', ')} (apt-get install tgt qemu-utils qemu-block-extra)`;
  if (process.env.CI === 'true') throw new Error(why);
  console.warn(`SKIPPED: ${why}`);
  ctx.skip();
}

/** Starts a simulator cluster in a new temp directory. */
export async function startCluster(name: string, extra: Record<string, unknown> = {}): Promise<SimCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ashlar-ontap-${name}-`));
  const configFile = path.join(dir, '..', `${path.basename(dir)}.json`);
  const config = {
    name,
    svms: [SVM],
    volumes: FLEXVOLS.map((f) => ({ name: f, svm: SVM, size: 64 * 1024 ** 3 })),
    users: [
      { ...ADMIN, role: 'admin' },
      { ...DRIVER_USER, role: 'ashlar_driver' },
    ],
    roles: [{ name: 'ashlar_driver', privileges: rolePrivileges() }],
    ...extra,
  };
  await writeFile(configFile, JSON.stringify(config));
  return launch({ name, dir, configFile, url: '', port: 0, iscsiPort: 0, pid: 0 });
}

/** Starts (or restarts) the cluster on its directory. */
export async function launch(c: SimCluster): Promise<SimCluster> {
  const { stdout } = await run(path.join(scripts, 'start.sh'), [c.dir, c.configFile], { timeout: 60_000 });
  const vars = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
  const url = vars.ONTAP_SIM_URL!;
  return Object.assign(c, { url, port: Number(new URL(url).port), iscsiPort: Number(vars.ONTAP_SIM_ISCSI_PORT), pid: Number(vars.ONTAP_SIM_PID) });
}

/** Stops the cluster and removes its directory. */
export async function stopCluster(c: SimCluster | undefined): Promise<void> {
  if (c === undefined) return;
  await run(path.join(scripts, 'stop.sh'), [c.dir], { timeout: 60_000 });
  await run('rm', ['-f', c.configFile]);
}

/** A REST call as the admin (for checks and fault injection from tests). */
export async function admin(c: SimCluster, method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(apiPath, c.url), {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The driver config for a cluster, as the driver's own account. */
export function driverConfig(c: SimCluster, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname: '127.0.0.1',
    port: c.port,
    transport: 'http',
    username: DRIVER_USER.name,
    password: DRIVER_USER.password,
    svm: SVM,
    flexvols: [...FLEXVOLS],
    iscsiPort: c.iscsiPort,
    requestTimeoutMs: 20_000,
    ...extra,
  };
}
