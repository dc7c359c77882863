/**
 * Lock latency benchmark (not a test): the etcd coordinator against the in-process one
 * (the baseline, measured in the same run), for what the volume manager does per
 * operation: a clone's lock request (its own volume exclusive + its source shared),
 * granted at once, then released; and the hand-off of a contended exclusive lock from one
 * process's release to the next waiter's grant.
 *
 * etcd: a throwaway one from scripts/etcd/start.sh, or the one in ETCD_URL.
 * Run: npx tsx bench/coordination-locks.ts [--runs 500]
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Coordinator, LockRequest } from '../service/coordination/coordinator.js';
import { EtcdCoordinator } from '../service/coordination/etcd.js';
import { InProcessCoordinator } from '../service/coordination/in-process.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 500;

interface Figures {
  p50: number;
  p99: number;
  mean: number;
}

function figures(samples: number[]): Figures {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** Uncontended request → granted, then release (etcd: until the release is applied, so runs do not queue behind each other). */
async function uncontended(c: Coordinator, settle: () => Promise<void>): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const locks: LockRequest[] = [{ name: `volume:clone-${i}`, mode: 'exclusive' }, { name: 'volume:source', mode: 'shared' }];
    const t0 = performance.now();
    const release = await c.acquireAll(locks);
    samples.push(performance.now() - t0);
    release();
    await settle();
  }
  return figures(samples);
}

/** Release by one holder → grant to a waiter of another coordinator (another process). */
async function handoff(a: Coordinator, b: Coordinator): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 200); i++) {
    const name = `volume:handoff-${i}`;
    const held = await a.acquire(name, 'exclusive');
    const queued = await b.queueAll([{ name, mode: 'exclusive' }]);
    await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    held();
    const release = await queued.granted;
    samples.push(performance.now() - t0);
    release();
  }
  return figures(samples);
}

const fmt = (f: Figures) => `p50 ${f.p50.toFixed(3)} ms  p99 ${f.p99.toFixed(3)} ms  mean ${f.mean.toFixed(3)} ms`;

let etcdDir: string | undefined;
let url = process.env.ETCD_URL;
if (!url) {
  const { stdout } = await run(path.join(root, 'scripts', 'etcd', 'start.sh'), []);
  const env = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
  url = env.ETCD_URL!;
  etcdDir = env.ETCD_DIR;
}
try {
  const memory = new InProcessCoordinator();
  const memUnc = await uncontended(memory, async () => {});
  const memHand = await handoff(memory, memory);

  const prefix = `bench-${Date.now()}/`;
  const a = await EtcdCoordinator.connect({ endpoints: [url], prefix });
  const b = await EtcdCoordinator.connect({ endpoints: [url], prefix });
  // Waits until the previous release reached etcd (the release itself is asynchronous).
  const drained = async () => {
    const probe = await a.acquire('volume:source', 'exclusive');
    probe();
  };
  const etcdUnc = await uncontended(a, drained);
  const etcdHand = await handoff(a, b);
  await a.close();
  await b.close();

  console.log(`lock latency, ${RUNS} runs (in-process is the baseline of this run)`);
  console.log(`  clone locks, uncontended   in-process: ${fmt(memUnc)}`);
  console.log(`                             etcd:       ${fmt(etcdUnc)}   (p50 ×${(etcdUnc.p50 / memUnc.p50).toFixed(0)} the baseline)`);
  console.log(`  exclusive hand-off         in-process: ${fmt(memHand)}`);
  console.log(`                             etcd:       ${fmt(etcdHand)}   (p50 ×${(etcdHand.p50 / memHand.p50).toFixed(0)} the baseline)`);
} finally {
  if (etcdDir) await run(path.join(root, 'scripts', 'etcd', 'stop.sh'), [etcdDir]);
}
