/**
 * Conformance speed on the file driver: model steps per second and the default run's wall
 * time, against a baseline measured in the same process: the same kinds of driver calls
 * and connector I/O without the model, checks, shrinking or cleanup.
 *
 * Run: npx tsx bench/conformance-speed.ts [--runs 100]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../core/connectors/index.js';
import { instantiateDriver } from '../core/plugins/instantiate.js';
import { loadPlugin } from '../core/plugins/loader.js';
import { prepareTarget } from '../conformance/run-file.js';
import { runConformance } from '../conformance/runner.js';
import { loadDriverPlugin } from '../cli/builtin-drivers.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 100;
const plugin = await loadDriverPlugin('file');

// Baseline: raw operations a model step costs at least (create, write+read through the
// connector, snapshot, clone, delete), with no model.
const dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-'));
const { driver, executor } = await instantiateDriver(plugin, { config: { directory: dir } });
const connector = { host: 'bench' };
const data = Buffer.alloc(16 * 1024, 7);
let ops = 0;
const t0 = performance.now();
for (let i = 0; i < 200; i++) {
  const volume = { id: `b${i}`, sizeGiB: 2 };
  await driver.createVolume({ volume });
  const { connectionInfo } = await driver.initializeConnection({ volume, connector });
  const conn = await connect(connectionInfo, { executor });
  await conn.write(1024 ** 3, data);
  await conn.read(1024 ** 3, data.length);
  await conn.close();
  await driver.terminateConnection({ volume, connector });
  await driver.createSnapshot({ snapshot: { id: `s${i}`, volumeId: volume.id, sizeGiB: 2 }, volume });
  await driver.createClonedVolume({ volume: { id: `c${i}`, sizeGiB: 2 }, source: volume });
  await driver.deleteSnapshot({ snapshot: { id: `s${i}`, volumeId: volume.id, sizeGiB: 2 } });
  await driver.deleteVolume({ volume: { id: `c${i}`, sizeGiB: 2 } });
  await driver.deleteVolume({ volume });
  ops += 7;
}
const baselineMs = performance.now() - t0;
const baselineOpsPerSec = (ops / baselineMs) * 1000;
await rm(dir, { recursive: true, force: true });

// The default run, exactly as `ashlar conformance run file` does it.
const target = await prepareTarget(plugin, undefined);
const w0 = performance.now();
const report = await runConformance({ plugin, driverConfig: target.driverConfig, watchDirectories: target.watchDirectories, seed: 1, runs });
const wallMs = performance.now() - w0;
await target.release();

console.log(`baseline (raw driver ops, no model):   ${baselineOpsPerSec.toFixed(0)} ops/s (${ops} ops in ${baselineMs.toFixed(0)} ms)`);
console.log(`conformance run (runs=${runs}, seed 1): ${report.passed ? 'PASSED' : 'FAILED'} in ${(wallMs / 1000).toFixed(1)} s wall`);
console.log(`  model runs ${report.figures.modelRuns}, steps ${report.figures.modelSteps}, ${report.figures.stepsPerSecond} model steps/s`);
console.log(`ratio model steps/s ÷ raw ops/s: ${(report.figures.stepsPerSecond / baselineOpsPerSec).toFixed(3)} (each step also verifies data, sizes and errors)`);
console.log(`target: ≥ 100 model runs in < 60 s → ${report.figures.modelRuns >= 100 && wallMs < 60_000 ? 'met' : 'NOT met'}`);
