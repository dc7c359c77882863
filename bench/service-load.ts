/**
 * Load benchmark of the reference service (not a test): start-up time, RSS, create →
 * available latency, sequential bulk create, and requests/s with p50/p99 latency for the
 * detail list (200 volumes), show and create under concurrency. A bare fastify "hello"
 * server in its own process, measured in the same run, is the baseline every throughput
 * figure is compared with.
 *
 * Run: npx tsx bench/service-load.ts [--duration 5] [--connections 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 5);
const CONNECTIONS = arg('connections', 10);
const PROJECT = 'bench0001';
const HEADERS = { 'X-Auth-Token': `admin:${PROJECT}`, 'OpenStack-API-Version': 'volume 3.70', 'Content-Type': 'application/json' };

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

async function startChild(argv: string[]): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve((JSON.parse(line) as { ready: { url: string } }).ready.url);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
  return { child, url, ms: performance.now() - t0 };
}

async function load(url: string, opts: { method?: 'GET' | 'POST'; body?: string; connections?: number } = {}) {
  const r = await autocannon({ url, duration: DURATION, connections: opts.connections ?? CONNECTIONS, headers: HEADERS, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}) });
  const bad = r.non2xx + r.errors + r.timeouts;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad };
}

async function api(url: string, method: string, p: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${p}`, { method, headers: HEADERS, ...(body ? { body: JSON.stringify(body) } : {}) });
  return res.json();
}

async function untilAvailable(url: string, id: string): Promise<void> {
  for (;;) {
    const v = await api(url, 'GET', `/v3/${PROJECT}/volumes/${id}`);
    if (v.volume.status === 'available') return;
    if (v.volume.status === 'error') throw new Error(`volume ${id} failed`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 1): string => n.toFixed(d);

async function main(): Promise<void> {
  const baselineScript = "const f=require('fastify')();f.get('/',async()=>({hello:'world'}));f.listen({port:0,host:'127.0.0.1'}).then(()=>console.log(JSON.stringify({ready:{url:'http://127.0.0.1:'+f.server.address().port}})))";
  const baseline = await startChild(['-e', baselineScript]);
  const base = await load(`${baseline.url}/`);
  const baseRss = rssMiB(baseline.child.pid!);
  baseline.child.kill('SIGTERM');

  const state = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-'));
  const conf = path.join(state, 'bench.conf');
  await writeFile(conf, '[DEFAULT]\nlog_level = warn\n[quota]\nvolumes = -1\ngigabytes = -1\nsnapshots = -1\n');
  const svc = await startChild([path.join(root, 'bin', 'run.js'), 'serve', '--config', conf, '--state-dir', state, '--port', '0']);
  const pid = svc.child.pid!;
  const rssIdle = rssMiB(pid);
  try {
    // create → available, one at a time.
    const lat: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const v = await api(svc.url, 'POST', `/v3/${PROJECT}/volumes`, { volume: { size: 1 } });
      await untilAvailable(svc.url, v.volume.id);
      lat.push(performance.now() - t0);
    }
    // Sequential bulk create up to 200 volumes.
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < 170; i++) ids.push((await api(svc.url, 'POST', `/v3/${PROJECT}/volumes`, { volume: { size: 1, name: `bulk-${i}` } })).volume.id);
    const bulkAccepted = performance.now() - t0;
    for (const id of ids) await untilAvailable(svc.url, id);
    const bulkAll = performance.now() - t0;

    const detail = await load(`${svc.url}/v3/${PROJECT}/volumes/detail`);
    const show = await load(`${svc.url}/v3/${PROJECT}/volumes/${ids[0]}`);
    const rssAfterReads = rssMiB(pid);
    const create = await load(`${svc.url}/v3/${PROJECT}/volumes`, { method: 'POST', body: JSON.stringify({ volume: { size: 1 } }) });
    const rssPeak = rssMiB(pid);

    const row = (name: string, r: { rps: number; p50: number; p99: number; bad: number }) =>
      `${name.padEnd(34)} ${fmt(r.rps, 0).padStart(8)} req/s  p50 ${fmt(r.p50).padStart(6)} ms  p99 ${fmt(r.p99).padStart(6)} ms  ratio to baseline ${fmt(r.rps / base.rps, 3)}${r.bad ? `  (${r.bad} non-2xx/errors)` : ''}`;
    console.log(`ashlar service load benchmark (${DURATION}s per run, ${CONNECTIONS} connections, node ${process.version}, ${os.cpus().length} cpus)`);
    console.log(row('baseline: bare fastify GET /', base));
    console.log(row('GET volumes/detail (200 volumes)', detail));
    console.log(row('GET volumes/{id}', show));
    console.log(row('POST volumes (create)', create));
    console.log(`create → available (sequential, n=30): median ${fmt(median(lat))} ms, max ${fmt(Math.max(...lat))} ms`);
    console.log(`sequential bulk create (n=170): ${fmt((170 / bulkAccepted) * 1000, 0)} accepted/s, ${fmt((170 / bulkAll) * 1000, 0)} available/s`);
    console.log(`start-up to ready (spawn incl. tsx transpile): ${fmt(svc.ms, 0)} ms`);
    console.log(`RSS: service idle ${fmt(rssIdle)} MiB, after reads ${fmt(rssAfterReads)} MiB, after create load ${fmt(rssPeak)} MiB; baseline fastify ${fmt(baseRss)} MiB`);
  } finally {
    svc.child.kill('SIGTERM');
    await new Promise((r) => svc.child.once('exit', r));
    await rm(state, { recursive: true, force: true });
  }
}

await main();
