/**
 * RBD driver benchmark against a throwaway single-node Ceph cluster (scripts/ceph).
 *
 *   npx tsx bench/rbd-overhead.ts [--iterations 5] [--clones 8]
 *
 * 1. Overhead: each driver operation (through the runtime wrapper, as the core calls it)
 *    against the minimal rbd/ceph command(s) with the same effect run directly, median of
 *    N runs; ratio = driver / direct.
 * 2. Clone throughput: N clones of one source in parallel vs one after another, at driver
 *    level (the service's shared locks are not in this branch yet), as clones per minute.
 * 3. Data path: the connector's ranged read and write against `rbd export` of the whole
 *    image (what a connector without ranged reads would have to do).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from '../core/connectors/index.js';
import type { DriverVolume } from '../core/contract/index.js';
import { instantiateDriver, loadPlugin, type DriverInstance } from '../core/plugins/index.js';
import { loadDriverPlugin } from '../cli/builtin-drivers.js';

const run = promisify(execFile);
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/ceph');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const ITERATIONS = arg('iterations', 5);
const CLONES = arg('clones', 8);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`.padStart(10);
const id = (): string => `b${randomBytes(6).toString('hex')}`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashlar-rbd-bench-'));
  const started = performance.now();
  const conf = (await run('bash', [path.join(scripts, 'start-ceph.sh'), dir], { timeout: 120_000 })).stdout.trim();
  console.log(`cluster up in ${(performance.now() - started).toFixed(0)} ms (${dir})`);
  try {
    const rbd = await instantiateDriver(await loadDriverPlugin('rbd'), { config: { pool: 'rbd', cephConf: conf } });
    const direct = (program: 'rbd' | 'ceph', args: string[]): Promise<unknown> => run(program, ['-c', conf, ...args], { timeout: 60_000, maxBuffer: 1 << 30 });
    await overhead(rbd, direct);
    await cloneThroughput(rbd);
    await dataPath(rbd, conf);
  } finally {
    await run('bash', [path.join(scripts, 'stop-ceph.sh'), dir, '--purge'], { timeout: 60_000 });
  }
}

type Direct = (program: 'rbd' | 'ceph', args: string[]) => Promise<unknown>;

async function overhead(rbd: DriverInstance, direct: Direct): Promise<void> {
  const d = rbd.driver;
  console.log(`\n== driver overhead (median of ${ITERATIONS}; direct = the same rbd/ceph commands run by hand)`);
  console.log(`${'operation'.padEnd(26)}${'driver'.padStart(10)}${'direct'.padStart(10)}   ratio  direct commands`);
  const row = (name: string, drv: number[], dir: number[], cmds: string): void => {
    console.log(`${name.padEnd(26)}${ms(median(drv))}${ms(median(dir))}   ${(median(drv) / median(dir)).toFixed(2).padStart(5)}  ${cmds}`);
  };
  const samples: Record<string, { drv: number[]; dir: number[]; cmds: string }> = {};
  const add = (name: string, cmds: string, which: 'drv' | 'dir', t: number): void => {
    (samples[name] ??= { drv: [], dir: [], cmds })[which].push(t);
  };
  for (let i = 0; i < ITERATIONS; i += 1) {
    // Driver side: one lifecycle.
    const v: DriverVolume = { id: id(), sizeGiB: 1 };
    const s = { id: id(), volumeId: v.id, sizeGiB: 1 };
    const fromSnap: DriverVolume = { id: id(), sizeGiB: 1 };
    const clone: DriverVolume = { id: id(), sizeGiB: 1 };
    add('createVolume', 'rbd create', 'drv', await timed(() => d.createVolume({ volume: v })));
    add('initializeConnection', 'rbd info', 'drv', await timed(() => d.initializeConnection({ volume: v, connector: { host: 'bench' } })));
    add('extendVolume', 'rbd resize', 'drv', await timed(() => d.extendVolume({ volume: v, newSizeGiB: 2 })));
    const v2 = { ...v, sizeGiB: 2 };
    add('createSnapshot', 'rbd snap create', 'drv', await timed(() => d.createSnapshot({ snapshot: { ...s, sizeGiB: 2 }, volume: v2 })));
    add('revertToSnapshot', 'rbd snap rollback', 'drv', await timed(() => d.revertToSnapshot({ volume: v2, snapshot: { ...s, sizeGiB: 2 } })));
    add('createVolumeFromSnapshot', 'rbd clone', 'drv', await timed(() => d.createVolumeFromSnapshot({ volume: { ...fromSnap, sizeGiB: 2 }, snapshot: { ...s, sizeGiB: 2 } })));
    add('deleteSnapshot', 'rbd snap rm', 'drv', await timed(() => d.deleteSnapshot({ snapshot: s })));
    add('createClonedVolume', 'snap create + clone + snap rm', 'drv', await timed(() => d.createClonedVolume({ volume: { ...clone, sizeGiB: 2 }, source: v2 })));
    add('getStats', 'ceph df ∥ rbd ls -l', 'drv', await timed(() => d.getStats({ refresh: true })));
    add('deleteVolume (has clones)', 'rbd trash mv', 'drv', await timed(() => d.deleteVolume({ volume: v2 })));
    add('deleteVolume (a clone)', 'rbd rm', 'drv', await timed(() => d.deleteVolume({ volume: { ...clone, sizeGiB: 2 } })));
    add('deleteVolume (last clone)', 'rbd rm + rbd trash rm', 'drv', await timed(() => d.deleteVolume({ volume: { ...fromSnap, sizeGiB: 2 } })));
    const plain: DriverVolume = { id: id(), sizeGiB: 1 };
    await d.createVolume({ volume: plain });
    add('deleteVolume (plain)', 'rbd rm', 'drv', await timed(() => d.deleteVolume({ volume: plain })));

    // Direct side: the same effects with hand-written commands.
    const img = `rbd/direct-${id()}`;
    const snap = `${img}@s`;
    const c1 = `rbd/direct-${id()}`;
    const c2 = `rbd/direct-${id()}`;
    add('createVolume', '', 'dir', await timed(() => direct('rbd', ['create', '--size', '1G', img])));
    add('initializeConnection', '', 'dir', await timed(() => direct('rbd', ['info', '--format', 'json', img])));
    add('extendVolume', '', 'dir', await timed(() => direct('rbd', ['resize', '--no-progress', '--size', '2G', img])));
    add('createSnapshot', '', 'dir', await timed(() => direct('rbd', ['snap', 'create', '--no-progress', snap])));
    add('revertToSnapshot', '', 'dir', await timed(() => direct('rbd', ['snap', 'rollback', '--no-progress', snap])));
    add('createVolumeFromSnapshot', '', 'dir', await timed(() => direct('rbd', ['clone', '--rbd-default-clone-format', '2', snap, c1])));
    add('deleteSnapshot', '', 'dir', await timed(() => direct('rbd', ['snap', 'rm', '--no-progress', snap])));
    add('createClonedVolume', '', 'dir', await timed(async () => {
      await direct('rbd', ['snap', 'create', '--no-progress', `${img}@c`]);
      await direct('rbd', ['clone', '--rbd-default-clone-format', '2', `${img}@c`, c2]);
      await direct('rbd', ['snap', 'rm', '--no-progress', `${img}@c`]);
    }));
    add('getStats', '', 'dir', await timed(() => Promise.all([direct('ceph', ['df', '--format', 'json']), direct('rbd', ['ls', '-l', '--format', 'json', 'rbd'])])));
    add('deleteVolume (has clones)', '', 'dir', await timed(() => direct('rbd', ['trash', 'mv', img])));
    add('deleteVolume (a clone)', '', 'dir', await timed(() => direct('rbd', ['rm', '--no-progress', c1])));
    const trashedId = (JSON.parse(String(((await direct('rbd', ['trash', 'ls', '--format', 'json', 'rbd'])) as { stdout: string }).stdout)) as { id: string }[])[0]!.id;
    add('deleteVolume (last clone)', '', 'dir', await timed(async () => {
      await direct('rbd', ['rm', '--no-progress', c2]);
      await direct('rbd', ['trash', 'rm', '--no-progress', `rbd/${trashedId}`]);
    }));
    await direct('rbd', ['create', '--size', '1G', `${img}-p`]);
    add('deleteVolume (plain)', '', 'dir', await timed(() => direct('rbd', ['rm', '--no-progress', `${img}-p`])));
  }
  for (const [name, s] of Object.entries(samples)) row(name, s.drv, s.dir, s.cmds);
}

async function cloneThroughput(rbd: DriverInstance): Promise<void> {
  const d = rbd.driver;
  const src: DriverVolume = { id: id(), sizeGiB: 1 };
  await d.createVolume({ volume: src });
  const conn = await connect((await d.initializeConnection({ volume: src, connector: { host: 'bench' } })).connectionInfo, { executor: rbd.executor });
  await conn.write(0, randomBytes(1024 * 1024));
  console.log(`\n== ${CLONES} clones of one source (driver level; the service's shared locks are on another branch)`);
  const serial: DriverVolume[] = Array.from({ length: CLONES }, () => ({ id: id(), sizeGiB: 1 }));
  const serialMs = await timed(async () => {
    for (const v of serial) await d.createClonedVolume({ volume: v, source: src });
  });
  const parallel: DriverVolume[] = Array.from({ length: CLONES }, () => ({ id: id(), sizeGiB: 1 }));
  const parallelMs = await timed(() => Promise.all(parallel.map((v) => d.createClonedVolume({ volume: v, source: src }))));
  const perMin = (n: number, t: number): string => ((n * 60_000) / t).toFixed(0);
  console.log(`serialized: ${serialMs.toFixed(0)} ms → ${perMin(CLONES, serialMs)} clones/min`);
  console.log(`parallel:   ${parallelMs.toFixed(0)} ms → ${perMin(CLONES, parallelMs)} clones/min (×${(serialMs / parallelMs).toFixed(2)})`);
  for (const v of [src, ...serial, ...parallel]) await d.deleteVolume({ volume: v });
}

/** `rbd export IMAGE -` with stdout discarded (4 GiB would not fit a buffer). */
function exportToNull(conf: string, image: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('rbd', ['-c', conf, 'export', '--no-progress', image, '-'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`rbd export exited ${code}`))));
  });
}

async function dataPath(rbd: DriverInstance, conf: string): Promise<void> {
  const d = rbd.driver;
  const v: DriverVolume = { id: id(), sizeGiB: 4 };
  await d.createVolume({ volume: v });
  const conn = await connect((await d.initializeConnection({ volume: v, connector: { host: 'bench' } })).connectionInfo, { executor: rbd.executor });
  // 256 MiB of real data spread over the image, so a whole-image export has work to do.
  const chunk = randomBytes(4 * 1024 * 1024);
  for (let i = 0; i < 64; i += 1) await conn.write(i * 64 * 1024 * 1024, chunk);
  const data = randomBytes(64 * 1024);
  const reads: number[] = [];
  const writes: number[] = [];
  const exports: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const off = (i + 1) * 512 * 1024 * 1024 + 4096;
    writes.push(await timed(() => conn.write(off, data)));
    reads.push(await timed(() => conn.read(off, data.length)));
    exports.push(await timed(() => exportToNull(conf, `rbd/volume-${v.id}`)));
  }
  console.log(`\n== data path on a 4 GiB image holding 256 MiB (median of ${ITERATIONS})`);
  console.log(`connector read 64 KiB (qemu-io):        ${ms(median(reads))}`);
  console.log(`connector write 64 KiB (rbd import-diff): ${ms(median(writes))}`);
  console.log(`rbd export of the whole image:           ${ms(median(exports))}  (×${(median(exports) / median(reads)).toFixed(1)} a ranged read)`);
  await d.deleteVolume({ volume: v });
}

await main();
