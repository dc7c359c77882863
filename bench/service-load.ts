/**
 * Load benchmark of the reference service (not a test): start-up time, RSS, create →
 * available latency, sequential bulk create, and requests/s with p50/p99 latency for the
 * detail list (200 volumes; cached and uncached side by side, with the service's CPU per
 * request and per item), show and create under concurrency. A bare fastify "hello"
 * server in its own process, measured in the same run, is the baseline every throughput
 * figure is compared with.
 *
 * Each figure is printed with its target from the reference-service issue and its ratio to
 * the baseline of the same run. The one-at-a-time figures (create → available, bulk create)
 * use a keep-alive node:http client (bench/keep-alive-client.ts), and the same client's
 * sequential POSTs to the bare fastify server are their baseline. Start-up and idle RSS are measured spawning
 * `bin/run.js serve` as an operator does, in both runtimes: from the precompiled dist/
 * (`npm run build`) and from the sources through tsx, cold (tsx's transform cache empty;
 * for dist, the first start) and warm. The load figures come from a service in the
 * runtime `bin/run.js` picks by itself (dist when it is fresh), or `--runtime dist|tsx`.
 *
 * Run: npx tsx bench/service-load.ts [--duration 5] [--connections 10] [--runtime dist|tsx]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { distIsFresh } from '../bin/dist-stamp.js';
import { serveReadyUrl } from '../test/helpers/serve-ready.js';
import { KeepAliveClient } from './keep-alive-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 5);
const runtimeArg = process.argv.indexOf('--runtime');
const RUNTIME = runtimeArg > 0 ? process.argv[runtimeArg + 1]! : distIsFresh(root) ? 'dist' : 'tsx';
type Runtime = 'dist' | 'tsx';
const CONNECTIONS = arg('connections', 10);
const PROJECT = 'bench0001';
/** Sequential creates in the bulk figure; with the 30 of the latency figure, the 200 volumes the list figures read. */
const BULK = 170;
const HEADERS = { 'X-Auth-Token': `admin:${PROJECT}`, 'OpenStack-API-Version': 'volume 3.70', 'Content-Type': 'application/json' };

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Starts `command argv` (by default `node argv`) and waits for its ready line. */
async function startChild(argv: string[], env: Record<string, string> = {}, command = process.execPath): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'], cwd: root, env: { ...process.env, ...env } });
  const url = await serveReadyUrl(child);
  return { child, url, ms: performance.now() - t0 };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * autocannon against `url` for DURATION seconds. `uncached`: every request carries a query
 * parameter of its own (`bench=<n>`, which no list reads), so no two share a response-cache
 * key and each one is built from the database and serialized: the cost of a list whose
 * answer is never asked for twice. `pid`: the service's CPU time per request is reported too.
 */
async function load(url: string, opts: { method?: 'GET' | 'POST'; body?: string; connections?: number; uncached?: boolean; pid?: number } = {}) {
  let n = 0;
  const requests: autocannon.Request[] | undefined = opts.uncached ? [{ setupRequest: (req) => ({ ...req, path: `${req.path ?? '/'}${req.path?.includes('?') ? '&' : '?'}bench=${++n}` }) }] : undefined;
  const cpu0 = opts.pid === undefined ? 0 : cpuSeconds(opts.pid);
  const r = await autocannon({ url, duration: DURATION, connections: opts.connections ?? CONNECTIONS, headers: HEADERS, method: opts.method ?? 'GET', ...(opts.body ? { body: opts.body } : {}), ...(requests ? { requests } : {}) });
  const cpuPerRequestMs = opts.pid === undefined || r.requests.total === 0 ? undefined : ((cpuSeconds(opts.pid) - cpu0) / r.requests.total) * 1000;
  const bad = r.non2xx + r.errors + r.timeouts;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad, cpuPerRequestMs };
}

async function api(client: KeepAliveClient, method: string, p: string, body?: unknown): Promise<any> {
  const res = await client.request(method, p, body);
  if (res.status >= 300) throw new Error(`${method} ${p} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function untilAvailable(client: KeepAliveClient, id: string): Promise<void> {
  for (;;) {
    const v = await api(client, 'GET', `/v3/${PROJECT}/volumes/${id}`);
    if (v.volume.status === 'available') return;
    if (v.volume.status === 'error') throw new Error(`volume ${id} failed`);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 1): string => n.toFixed(d);

/** Starts `bin/run.js serve` in `runtime` on a fresh state dir with its tsx cache under `tmp` (cold when new). */
async function startService(state: string, conf: string, tmp: string, runtime: string) {
  // Executed as operators do (`ashlar serve`): through its shebang, with the V8 flags it carries.
  return startChild(['serve', '--config', conf, '--state-dir', state, '--port', '0'], { TMPDIR: tmp, ASHLAR_RUNTIME: runtime }, path.join(root, 'bin', 'run.js'));
}

/** Cold and warm start-up (ms) and idle RSS (MiB) of `bin/run.js serve` in one runtime. */
async function startups(runtime: Runtime, state: string, conf: string): Promise<{ cold: number; warm: number; rss: number }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-tsx-'));
  const ms: number[] = [];
  const rss: number[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      const dir = await mkdtemp(path.join(state, 'start-'));
      const s = await startService(dir, conf, tmp, runtime);
      ms.push(s.ms);
      await new Promise((r) => setTimeout(r, 300));
      rss.push(rssMiB(s.child.pid!));
      await stop(s.child);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { cold: ms[0]!, warm: median(ms.slice(1)), rss: median(rss.slice(1)) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function main(): Promise<void> {
  // The baseline answers GET / and, for the sequential figures, a POST that echoes a
  // volume body with 202 (what the service answers a create with, minus all the work).
  const baselineScript = "const f=require('fastify')();let n=0;f.get('/',async()=>({hello:'world'}));f.post('/volumes',async(q,r)=>r.code(202).send({volume:{id:String(++n),status:'creating',...q.body.volume}}));f.listen({port:0,host:'127.0.0.1'}).then(()=>console.log(JSON.stringify({ready:{url:'http://127.0.0.1:'+f.server.address().port}})))";
  const baseline = await startChild(['-e', baselineScript]);
  const base = await load(`${baseline.url}/`);
  const baseClient = new KeepAliveClient(baseline.url, HEADERS);
  for (let i = 0; i < 100; i++) await api(baseClient, 'POST', '/volumes', { volume: { size: 1, name: `warm-${i}` } });
  const tb = performance.now();
  for (let i = 0; i < BULK; i++) await api(baseClient, 'POST', '/volumes', { volume: { size: 1, name: `bulk-${i}` } });
  const baseSequential = (BULK / (performance.now() - tb)) * 1000;
  baseClient.close();
  const baseRss = rssMiB(baseline.child.pid!);
  await stop(baseline.child);

  const state = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-'));
  const conf = path.join(state, 'bench.conf');
  await writeFile(conf, '[DEFAULT]\nlog_level = warn\n[quota]\nvolumes = -1\ngigabytes = -1\nsnapshots = -1\n');
  // Start-up: cold = an empty tsx cache (TMPDIR of its own), warm = the same cache again.
  const dist = distIsFresh(root) ? await startups('dist', state, conf) : undefined;
  const tsx = await startups('tsx', state, conf);
  const tsxTmp = await mkdtemp(path.join(os.tmpdir(), 'ashlar-bench-tsx-'));
  const svc = await startService(state, conf, tsxTmp, RUNTIME);
  const pid = svc.child.pid!;
  await new Promise((r) => setTimeout(r, 500));
  const rssIdle = rssMiB(pid);
  const client = new KeepAliveClient(svc.url, HEADERS);
  try {
    // create → available, one at a time.
    const lat: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const v = await api(client, 'POST', `/v3/${PROJECT}/volumes`, { volume: { size: 1 } });
      await untilAvailable(client, v.volume.id);
      lat.push(performance.now() - t0);
    }
    // Sequential bulk create up to 200 volumes.
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < BULK; i++) ids.push((await api(client, 'POST', `/v3/${PROJECT}/volumes`, { volume: { size: 1, name: `bulk-${i}` } })).volume.id);
    const bulkAccepted = performance.now() - t0;
    for (const id of ids) await untilAvailable(client, id);
    const bulkAll = performance.now() - t0;

    const detail = await load(`${svc.url}/v3/${PROJECT}/volumes/detail`, { pid });
    const detailUncached = await load(`${svc.url}/v3/${PROJECT}/volumes/detail`, { pid, uncached: true });
    const listUncached = await load(`${svc.url}/v3/${PROJECT}/volumes`, { pid, uncached: true });
    // The same list while one more connection renames a volume back to back: every write
    // invalidates the cached list, so this is the figure for a list that keeps changing.
    let writes = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await api(client, 'PUT', `/v3/${PROJECT}/volumes/${ids[0]}`, { volume: { name: `renamed-${writes}` } });
        writes++;
      }
    })();
    const tw = performance.now();
    const detailWrites = await load(`${svc.url}/v3/${PROJECT}/volumes/detail`, { pid });
    writing = false;
    await writer;
    const writesPerS = (writes / (performance.now() - tw)) * 1000;
    const show = await load(`${svc.url}/v3/${PROJECT}/volumes/${ids[0]}`);
    const rssAfterReads = rssMiB(pid);
    const create = await load(`${svc.url}/v3/${PROJECT}/volumes`, { method: 'POST', body: JSON.stringify({ volume: { size: 1 } }) });
    const rssPeak = rssMiB(pid);

    const ratio = (x: number, b: number) => `ratio to baseline ${fmt(x / b, 3)}`;
    const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    const row = (name: string, r: { rps: number; p50: number; p99: number; bad: number }, target?: number) =>
      `${name.padEnd(44)} ${fmt(r.rps, 0).padStart(6)} req/s  p50 ${fmt(r.p50).padStart(5)} ms  p99 ${fmt(r.p99).padStart(5)} ms  ${ratio(r.rps, base.rps)}` +
      `${target ? `  target >= ${target} req/s ${verdict(r.rps >= target)}` : ''}${r.bad ? `  (${r.bad} non-2xx/errors)` : ''}`;
    const med = median(lat);
    const bulkRate = (BULK / bulkAccepted) * 1000;
    console.log(`ashlar service load benchmark (${DURATION}s per run, ${CONNECTIONS} connections, service from ${RUNTIME}, node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')})`);
    console.log(row('baseline: bare fastify GET / (same run)', base));
    const perItem = (r: { cpuPerRequestMs?: number | undefined }) => (r.cpuPerRequestMs === undefined ? '' : `  service CPU ${fmt(r.cpuPerRequestMs, 2)} ms/request, ${fmt((r.cpuPerRequestMs * 1000) / 200, 1)} µs/item`);
    console.log(row('GET volumes/detail (200 volumes), cached', detail, 1000) + perItem(detail));
    console.log(row('GET volumes/detail (200 volumes), uncached', detailUncached) + perItem(detailUncached) + `  cached/uncached ${fmt(detail.rps / detailUncached.rps, 2)}x  target <= 10 µs/item uncached ${verdict((detailUncached.cpuPerRequestMs ?? Infinity) * 5 <= 10)}`);
    console.log(row('GET volumes (200 volumes), uncached', listUncached) + perItem(listUncached));
    console.log(row('GET volumes/detail, renamed back to back', detailWrites) + perItem(detailWrites) + `  (${fmt(writesPerS, 0)} renames/s alongside)`);
    console.log(row('GET volumes/{id}', show));
    console.log(row('POST volumes (create), 10 connections', create));
    console.log(`create → available median (n=30)             ${fmt(med).padStart(6)} ms   max ${fmt(Math.max(...lat))} ms  baseline request ${fmt(1000 / base.rps, 2)} ms  target < 20 ms ${verdict(med < 20)}`);
    console.log(`baseline: sequential POST to bare fastify    ${fmt(baseSequential, 0).padStart(6)} req/s (n=${BULK}, one keep-alive connection, same client)`);
    console.log(`sequential bulk create (n=${BULK})               ${fmt(bulkRate, 0).padStart(6)} accepted/s  ${fmt((BULK / bulkAll) * 1000, 0)} available/s  ratio to sequential baseline ${fmt(bulkRate / baseSequential, 3)}  target >= 300/s ${verdict(bulkRate >= 300)}`);
    for (const [name, s] of [['dist', dist], ['tsx', tsx]] as const) {
      if (!s) {
        console.log(`start-up, bin/run.js serve from dist         not measured: dist/ is missing or stale (npm run build)`);
        continue;
      }
      const what = name === 'dist' ? 'from dist (precompiled)' : 'from sources via tsx';
      console.log(`start-up, serve to ready ${what.padEnd(24)} cold ${fmt(s.cold, 0)} ms, warm ${fmt(s.warm, 0)} ms, idle RSS ${fmt(s.rss)} MiB; baseline fastify ${fmt(baseline.ms, 0)} ms, ${ratio(s.warm, baseline.ms)}  target < 1000 ms ${verdict(s.warm < 1000)} (warm)`);
    }
    if (dist) console.log(`start-up dist vs tsx                         warm ${fmt(dist.warm / tsx.warm, 3)}x the time, idle RSS ${fmt(dist.rss / tsx.rss, 3)}x the memory`);
    console.log(`RSS (service from ${RUNTIME})${' '.repeat(26 - RUNTIME.length)}idle ${fmt(rssIdle)} MiB, after reads ${fmt(rssAfterReads)} MiB, after create load ${fmt(rssPeak)} MiB; baseline fastify ${fmt(baseRss)} MiB, ${ratio(rssPeak, baseRss)}  target < 110 MB (${fmt(110e6 / 2 ** 20)} MiB) ${verdict(rssPeak * 2 ** 20 < 110e6)} (peak)`);
  } finally {
    client.close();
    await stop(svc.child);
    await rm(state, { recursive: true, force: true });
    await rm(tsxTmp, { recursive: true, force: true });
  }
}

await main();
