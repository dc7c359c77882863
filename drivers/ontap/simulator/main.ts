/**
 * The ONTAP-style array simulator's entry point:
 *
 *   node --import tsx drivers/ontap/simulator/main.ts --data-dir DIR --port P \
 *     --iscsi-port I --tgt-control N --config sim.json
 *
 * Serves the REST API on 127.0.0.1:P (plain HTTP) and the LUNs over iSCSI on
 * 127.0.0.1:I through tgtd. Prints `ready` once both answer; exits on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initialState, mergeOnRestart, type SimulatorConfig } from './bootstrap.js';
import { Cluster } from './cluster.js';
import { createApiServer } from './server.js';
import { StateStore } from './store.js';
import { TgtTarget } from './tgt.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'iscsi-port': { type: 'string' },
    'tgt-control': { type: 'string' },
    config: { type: 'string' },
  },
});
const need = (k: keyof typeof values): string => {
  const v = values[k];
  if (typeof v !== 'string' || v === '') throw new Error(`--${k} is required`);
  return v;
};

const dataDir = need('data-dir');
const config = JSON.parse(readFileSync(need('config'), 'utf8')) as SimulatorConfig;
const store = new StateStore(dataDir);
const saved = store.load();
const state = saved === undefined ? initialState(config) : mergeOnRestart(saved, config);
const tgt = new TgtTarget(Number(need('iscsi-port')), Number(need('tgt-control')), dataDir);
const cluster = new Cluster(state, store, tgt, dataDir, config.jobTtlSeconds === undefined ? undefined : config.jobTtlSeconds * 1000);
cluster.tidyJobs(saved !== undefined);
cluster.commit();
await cluster.sweepOrphans();
await tgt.start();
await cluster.exportLuns();
const server = createApiServer(cluster);
// Longer than clients' idle pools, so a reused connection is never closed under a request.
server.keepAliveTimeout = 120_000;
server.listen(Number(need('port')), '127.0.0.1', () => {
  process.stdout.write(`ready ${state.cluster.name} api=127.0.0.1:${need('port')} iscsi=127.0.0.1:${need('iscsi-port')}\n`);
});

const shutdown = (): void => {
  server.close();
  server.closeAllConnections();
  void tgt.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
