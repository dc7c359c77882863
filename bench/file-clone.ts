/**
 * File driver: clone time of a 4 GiB volume holding 256 MiB of data, by reflink on a
 * loop-mounted XFS (when root) versus the sparse-copy fallback on the default filesystem,
 * against a baseline measured in the same run: `cp --sparse=always` of the same image.
 *
 *   npx tsx bench/file-clone.ts [--iterations 5]
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from '../core/connectors/index.js';
import { instantiateDriver, loadPlugin } from '../core/plugins/index.js';
import { makeReflinkFs, reflinkUnavailableReason } from '../test/helpers/reflink-fs.js';
import { loadDriverPlugin } from '../cli/builtin-drivers.js';

const run = promisify(execFile);
const iterations = Number(process.argv[process.argv.indexOf('--iterations') + 1]) || 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(dir: string, label: string): Promise<void> {
  const { driver } = await instantiateDriver(await loadDriverPlugin('file'), { config: { directory: dir } });
  await driver.createVolume({ volume: { id: 'src', sizeGiB: 4 } });
  const { connectionInfo } = await driver.initializeConnection({ volume: { id: 'src', sizeGiB: 4 }, connector: { host: 'bench' } });
  const conn = await connect(connectionInfo);
  // 256 MiB of data spread over the 4 GiB volume: 64 extents of 4 MiB.
  for (let i = 0; i < 64; i++) await conn.write(i * 64 * 1024 * 1024, randomBytes(4 * 1024 * 1024));
  await conn.close();
  const driverMs: number[] = [];
  const cpMs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let t = performance.now();
    await driver.createClonedVolume({ volume: { id: `c${i}`, sizeGiB: 4 }, source: { id: 'src', sizeGiB: 4 } });
    driverMs.push(performance.now() - t);
    t = performance.now();
    await run('cp', ['--sparse=always', '--reflink=never', path.join(dir, 'volumes', 'volume-src.img'), path.join(dir, `baseline-${i}.img`)]);
    cpMs.push(performance.now() - t);
  }
  const d = median(driverMs);
  const b = median(cpMs);
  console.log(`${label.padEnd(34)} clone median ${d.toFixed(1).padStart(7)} ms   cp --sparse baseline ${b.toFixed(1).padStart(7)} ms   ratio ${(d / b).toFixed(3)}`);
}

const plain = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-file-'));
try {
  await measure(plain, `${os.tmpdir()} (sparse-copy fallback)`);
} finally {
  await rm(plain, { recursive: true, force: true });
}
const why = await reflinkUnavailableReason();
if (why) {
  console.log(`reflink XFS: skipped (needs ${why})`);
} else {
  const fs = await makeReflinkFs(2048);
  try {
    await measure(fs.mountPoint, 'loop-mounted XFS (reflink)');
  } finally {
    await fs.dispose();
  }
}
