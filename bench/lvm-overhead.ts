/**
 * The LVM driver's overhead: each driver operation's time against the same lvm2 command(s)
 * run directly on the host through the same transport, measured in one run on one UML
 * test host, thick and thin. Also counts the commands each driver operation sends.
 *
 * Run: npx tsx bench/lvm-overhead.ts [--iterations 5] [--host /path/host.json]
 * (without --host it starts and stops its own host with scripts/lvm-host/start.sh).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LvmHostTransport } from '../drivers/lvm/test-host/transport.js';
import type { CommandResult, CommandTransport, TransportRunOptions } from '../core/executor/transport.js';
import { instantiateDriver } from '../core/plugins/instantiate.js';
import { loadPlugin } from '../core/plugins/loader.js';
import { loadDriverPlugin } from '../cli/builtin-drivers.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const iterations = Number(arg('--iterations') ?? 5);
const run = promisify(execFile);

/** Counts the commands that pass through it. */
class CountingTransport implements CommandTransport {
  readonly description: string;
  count = 0;
  constructor(readonly inner: CommandTransport) {
    this.description = inner.description;
  }
  run(argv: readonly string[], options: TransportRunOptions): Promise<CommandResult> {
    this.count++;
    return this.inner.run(argv, options);
  }
}

let hostJson = arg('--host');
let ownDir: string | undefined;
if (hostJson === undefined) {
  ownDir = await mkdtemp(path.join(os.tmpdir(), 'lvmb-'));
  const { stdout } = await run('scripts/lvm-host/start.sh', [ownDir, '--disk-size', '16G'], { timeout: 180_000 });
  hostJson = stdout.trim().split('\n').pop()!;
}
const host = new LvmHostTransport(hostJson);
const counting = new CountingTransport(host);
const raw = async (argv: string[]): Promise<void> => {
  const r = await host.run(argv, { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.toString()}`);
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

interface Row {
  op: string;
  driver: number[];
  raw: number[];
  commands: number;
}

async function bench(mode: 'default' | 'thin'): Promise<Row[]> {
  const thin = mode === 'thin';
  const vg = 'ashlar';
  const pool = 'ashlar-pool';
  const { driver: d } = await instantiateDriver(await loadDriverPlugin('lvm'), {
    config: { volumeGroup: vg, lvmType: mode, thinPoolSizePercent: 50, volumeClear: 'none' },
    transport: counting,
  });
  const rows = new Map<string, Row>();
  const record = async (op: string, driverOp: () => Promise<unknown>, rawOp: () => Promise<unknown>): Promise<void> => {
    const row = rows.get(op) ?? { op, driver: [], raw: [], commands: 0 };
    rows.set(op, row);
    const before = counting.count;
    row.driver.push(await time(driverOp));
    row.commands = counting.count - before;
    row.raw.push(await time(rawOp));
  };
  const dev = (lv: string): string => `/dev/${vg}/${lv}`;
  const newLv = (name: string, size: string): string[] =>
    thin ? ['lvcreate', '--type', 'thin', '-V', size, '--thinpool', pool, '-n', name, vg] : ['lvcreate', '-L', size, '-n', name, '--yes', vg];
  const snapLv = (name: string, origin: string): string[] =>
    thin ? ['lvcreate', '-s', '-kn', '-n', name, `${vg}/${origin}`] : ['lvcreate', '-s', '-l', '100%ORIGIN', '-n', name, `${vg}/${origin}`];
  const connector = { host: 'bench' };

  for (let i = 0; i < iterations; i++) {
    const v = { id: `b${i}`, sizeGiB: 1 };
    const s = { id: `b${i}`, volumeId: v.id, sizeGiB: 1 };
    const c = { id: `c${i}`, sizeGiB: 2 };
    const r = `raw${i}`;
    await record('getStats', () => d.getStats({ refresh: true }), () => raw(['lvs', '--reportformat', 'json', vg]));
    await record('createVolume', () => d.createVolume({ volume: v }), () => raw(newLv(r, '1g')));
    await record('initializeConnection', () => d.initializeConnection({ volume: v, connector }), () => raw(['lvs', '--reportformat', 'json', `${vg}/${r}`]));
    await record('createSnapshot', () => d.createSnapshot({ snapshot: s, volume: v }), () => raw(snapLv(`rs${i}`, r)));
    await record('revertToSnapshot', () => d.revertToSnapshot({ volume: v, snapshot: s }), () => raw(['lvconvert', '--merge', `${vg}/rs${i}`]));
    // lvconvert --merge consumed the raw snapshot; the driver re-created its own (measured above).
    await raw(snapLv(`rs${i}`, r));
    await record('extendVolume (origin with snapshot)', () => d.extendVolume({ volume: v, newSizeGiB: 2 }), async () => {
      if (thin) return raw(['lvextend', '-L', '2g', `${vg}/${r}`]);
      await raw(['lvchange', '-an', `${vg}/${r}`]);
      await raw(['lvextend', '-L', '2g', `${vg}/${r}`]);
      await raw(['lvchange', '-ay', `${vg}/${r}`]);
    });
    await record('createVolumeFromSnapshot', () => d.createVolumeFromSnapshot({ volume: { id: `f${i}`, sizeGiB: 1 }, snapshot: s }), async () => {
      if (thin) return raw(snapLv(`rf${i}`, `rs${i}`));
      await raw(newLv(`rf${i}`, '1g'));
      await raw(['dd', `if=${dev(`rs${i}`)}`, `of=${dev(`rf${i}`)}`, 'bs=4194304', 'count=256', 'iflag=direct', 'oflag=direct', 'conv=fsync', 'status=none']);
    });
    await record('deleteSnapshot', () => d.deleteSnapshot({ snapshot: s }), () => raw(['lvremove', '-y', `${vg}/rs${i}`]));
    await record('createClonedVolume', () => d.createClonedVolume({ volume: c, source: { id: v.id, sizeGiB: 2 } }), async () => {
      if (thin) return raw(snapLv(`rc${i}`, r));
      await raw(newLv(`rc${i}`, '2g'));
      await raw(['dd', `if=${dev(r)}`, `of=${dev(`rc${i}`)}`, 'bs=4194304', 'count=512', 'iflag=direct', 'oflag=direct', 'conv=fsync', 'status=none']);
    });
    await record('listManageableVolumes', () => d.listManageableVolumes({}), () => raw(['lvs', '--reportformat', 'json', vg]));
    for (const [id, lv] of [[c.id, `rc${i}`], [`f${i}`, `rf${i}`], [v.id, r]] as const) {
      await record('deleteVolume', () => d.deleteVolume({ volume: { id, sizeGiB: 2 } }), () => raw(['lvremove', '-y', `${vg}/${lv}`]));
    }
  }
  await d.close?.();
  return [...rows.values()];
}

try {
  for (const mode of ['thin', 'default'] as const) {
    const rows = await bench(mode);
    console.log(`\nlvmType ${mode} (${iterations} iterations, 1–2 GiB volumes, medians; raw = the same lvm2/dd commands sent directly through the transport)`);
    console.log(`${'operation'.padEnd(38)} ${'driver ms'.padStart(10)} ${'raw ms'.padStart(8)} ${'ratio'.padStart(6)} ${'cmds'.padStart(5)}`);
    for (const row of rows) {
      const dm = median(row.driver);
      const rm_ = median(row.raw);
      console.log(`${row.op.padEnd(38)} ${dm.toFixed(0).padStart(10)} ${rm_.toFixed(0).padStart(8)} ${(dm / rm_).toFixed(2).padStart(6)} ${String(row.commands).padStart(5)}`);
    }
  }
} finally {
  await host.close();
  if (ownDir !== undefined) {
    await run('scripts/lvm-host/stop.sh', [ownDir]).catch(() => undefined);
    await rm(ownDir, { recursive: true, force: true });
  }
}
