/**
 * Scale benchmark of the reference service (not a test, issue 16): a project is filled to
 * 1,000 / 10,000 / 100,000 / 1,000,000 volumes, bulk-inserted through the service's own
 * repository (`insertVolumes`) on a connection of the benchmark's own, while `bin/run.js
 * serve` runs on the same database; at each size, through the API:
 *
 * - first page and a middle page (marker) of the detail list, 50 items, p50/p99 over
 *   `--samples` requests, each with a query parameter of its own so the response cache never
 *   answers (the figure is the work of a page, not of a cache lookup);
 * - the full walk of the project by next links, 1,000 items a page (skipped above `--walk-max`);
 * - the service's CPU per item of uncached 1,000-item detail pages (from /proc);
 * - create → available latency (median of 10) and the service's RSS.
 *
 * The 1,000-volume figures are the baseline of the same run: each larger size prints its
 * first-page p50 and CPU per item as a ratio to them (the target: within 2× up to a million).
 *
 * Run: npx tsx bench/scale.ts [--sizes 1000,10000,100000,1000000] [--databases sqlite,postgresql]
 *      [--samples 50] [--walk-max 1000000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from '../service/config/database-url.js';
import { openDatabase, type ServiceDatabase } from '../service/db/connect.js';
import { insertVolumes } from '../service/db/repositories/volumes.js';
import type { VolumesTable } from '../service/db/tables.js';
import { databaseServer, stopDatabaseServers } from '../test/service/databases/database-servers.js';
import { createTestDatabase } from '../test/service/databases/test-database.js';
import { serveReadyUrl } from '../test/helpers/serve-ready.js';
import { KeepAliveClient } from './keep-alive-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SIZES = option('sizes', '1000,10000,100000,1000000').split(',').map(Number);
const DATABASES = option('databases', 'sqlite,postgresql').split(',') as ('sqlite' | 'postgresql')[];
const SAMPLES = Number(option('samples', '50'));
const WALK_MAX = Number(option('walk-max', '1000000'));
const PROJECT = 'scale0001';
const HEADERS = { 'X-Auth-Token': `admin:${PROJECT}`, 'OpenStack-API-Version': 'volume 3.70', 'Content-Type': 'application/json' };

const fmt = (n: number, d = 1): string => n.toFixed(d);
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const load = (): string => os.loadavg().map((l) => fmt(l, 2)).join(' ');
const rssMiB = (pid: number): number => Number(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!.split(/\s+/)[1]) / 1024;
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

let serial = 0;
/** `n` volumes of the project, created one millisecond apart after the ones already there. */
function volumes(n: number, from: number): VolumesTable[] {
  const rows: VolumesTable[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString().replace('Z', '000');
    rows.push({
      id: randomUUID(), project_id: PROJECT, user_id: 'admin', name: `vol-${++serial}`, description: null, size: 1, status: 'available', attach_status: 'detached',
      availability_zone: 'nova', volume_type_id: null, host: null, snapshot_id: null, source_volid: null, bootable: 0, multiattach: 0, provider_location: null,
      metadata: serial % 10 === 0 ? '{"tier":"gold"}' : '{}', migration_status: null, created_at: t, updated_at: null,
    });
  }
  return rows;
}

/** Inserts up to `target` volumes, 10,000 per transaction; returns the seconds it took. */
async function fillTo(db: ServiceDatabase, have: number, target: number): Promise<number> {
  const t0 = performance.now();
  for (let at = have; at < target; at += 10_000) {
    const rows = volumes(Math.min(10_000, target - at), at);
    await db.db.transaction().execute((tx) => insertVolumes(tx, rows));
  }
  return (performance.now() - t0) / 1000;
}

async function get(client: KeepAliveClient, p: string): Promise<{ ms: number; body: any }> {
  const t0 = performance.now();
  const r = await client.request('GET', p);
  if (r.status !== 200) throw new Error(`GET ${p} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return { ms: performance.now() - t0, body: r.body };
}

let nonce = 0;
/** p50/p99 (ms) of `path`, each request with a query parameter of its own (never a cache hit). */
async function latency(client: KeepAliveClient, p: string): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES; i++) ms.push((await get(client, `${p}${p.includes('?') ? '&' : '?'}bench=${++nonce}`)).ms);
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

async function measure(client: KeepAliveClient, db: ServiceDatabase, pid: number, url: string, size: number) {
  const list = `/v3/${PROJECT}/volumes/detail`;
  const first = await latency(client, `${list}?limit=50`);
  const middleRow = await db.db.selectFrom('volumes').select('id').where('project_id', '=', PROJECT).orderBy('created_at', 'desc').orderBy('id', 'desc').offset(Math.floor(size / 2)).limit(1).executeTakeFirstOrThrow();
  const middle = await latency(client, `${list}?limit=50&marker=${middleRow.id}`);
  const cpu0 = cpuSeconds(pid);
  // First pages of 1,000 (a middle marker would leave fewer than 1,000 at the smallest size).
  let items = 0;
  for (let i = 0; i < 5; i++) items += (await get(client, `${list}?limit=1000&bench=${++nonce}`)).body.volumes.length;
  const cpuPerItemUs = ((cpuSeconds(pid) - cpu0) / items) * 1e6;
  let walkS: number | undefined;
  if (size <= WALK_MAX) {
    const t0 = performance.now();
    let next: string | undefined = `${list}?limit=1000&bench=${++nonce}`;
    let seen = 0;
    while (next !== undefined) {
      const { body } = await get(client, next);
      seen += body.volumes.length;
      next = body.volumes_links?.[0]?.href?.slice(url.length);
    }
    if (seen < size) throw new Error(`the walk saw ${seen} of ${size} volumes`);
    walkS = (performance.now() - t0) / 1000;
  }
  const created: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await client.request('POST', `/v3/${PROJECT}/volumes`, { volume: { size: 1 } });
    for (;;) {
      const v = await client.request('GET', `/v3/${PROJECT}/volumes/${(r.body as any).volume.id}`);
      if ((v.body as any).volume.status !== 'creating') break;
    }
    created.push(performance.now() - t0);
  }
  return { first, middle, cpuPerItemUs, walkS, createMs: pct(created, 50), rss: rssMiB(pid) };
}

async function run(kind: 'sqlite' | 'postgresql'): Promise<void> {
  const state = await mkdtemp(path.join(os.tmpdir(), 'ashlar-scale-'));
  const connection = kind === 'sqlite' ? undefined : (await createTestDatabase(await databaseServer('postgresql'))).connection;
  const conf = path.join(state, 'scale.conf');
  await writeFile(conf, `[DEFAULT]\nlog_level = warn\n[quota]\nvolumes = -1\ngigabytes = -1\n${connection ? `[database]\nconnection = ${connection}\n` : ''}`);
  const child: ChildProcess = spawn(path.join(root, 'bin', 'run.js'), ['serve', '--config', conf, '--state-dir', state, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const db = await openDatabase(parseDatabaseUrl(connection, state, { busyTimeoutMs: 60_000, poolSize: 2 }));
  const url = await serveReadyUrl(child);
  const client = new KeepAliveClient(url, HEADERS);
  try {
    let have = 0;
    let base: Awaited<ReturnType<typeof measure>> | undefined;
    for (const size of SIZES) {
      const fill = await fillTo(db, have, size);
      have = size;
      const m = await measure(client, db, child.pid!, url, size);
      base ??= m;
      console.log(
        `${kind.padEnd(10)} ${String(size).padStart(8)} volumes (filled in ${fmt(fill)} s)  first page p50 ${fmt(m.first.p50)} ms p99 ${fmt(m.first.p99)} ms  middle page p50 ${fmt(m.middle.p50)} ms p99 ${fmt(m.middle.p99)} ms` +
          `  walk ${m.walkS === undefined ? 'skipped' : `${fmt(m.walkS)} s`}  detail CPU ${fmt(m.cpuPerItemUs)} µs/item  create→available ${fmt(m.createMs)} ms  RSS ${fmt(m.rss)} MiB` +
          `  vs 1st size: page ${fmt(m.first.p50 / base.first.p50, 2)}x, CPU/item ${fmt(m.cpuPerItemUs / base.cpuPerItemUs, 2)}x  load ${load()}`,
      );
    }
  } finally {
    client.close();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await db.close();
    await rm(state, { recursive: true, force: true });
  }
}

console.log(`ashlar scale benchmark: sizes ${SIZES.join(', ')}, ${SAMPLES} samples per page figure, node ${process.version}, ${os.cpus().length} cpus, load ${load()}`);
try {
  for (const kind of DATABASES) await run(kind);
} finally {
  await stopDatabaseServers();
}
