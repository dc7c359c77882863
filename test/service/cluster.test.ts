import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { serveReadyUrl } from '../helpers/serve-ready.js';
import { parseDatabaseUrl } from '../../service/config/database-url.js';
import { openDatabase } from '../../service/db/connect.js';
import { forEachDatabase, requireOrSkip, startTestService, type TestDatabase } from './helpers.js';
import { backstop, eventually } from '../helpers/budget.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');
const RUN = path.join(ROOT, 'bin', 'run.js');
const FIXTURE = path.join(here, 'fixtures', 'slow-file-driver.ts');
const LOCK_TIMEOUT_S = 3;
const TRANSITIONAL = ['creating', 'deleting', 'extending', 'reverting'];

/** One `ashlar serve` child process and the JSON log lines it wrote on stderr. */
class ServeProcess {
  readonly logs: Record<string, unknown>[] = [];
  url = '';
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('{')) this.logs.push(JSON.parse(l) as Record<string, unknown>);
    });
  }

  static async start(name: string, conf: string, role: 'api' | 'volume', stateDir: string): Promise<ServeProcess> {
    // Each member names its own host; only the cluster name is shared.
    const hostConf = path.join(path.dirname(conf), `${name}.conf`);
    await writeFile(hostConf, (await readFile(conf, 'utf8')).replace('[DEFAULT]\n', `[DEFAULT]\nhost = ${name}\n`));
    const child = spawn(process.execPath, [RUN, 'serve', '--config', hostConf, '--role', role, '--state-dir', stateDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const p = new ServeProcess(name, child);
    p.url = await serveReadyUrl(child, () => `: ${name}: ${p.logs.map((l) => JSON.stringify(l)).slice(-5).join('\n')}`);
    return p;
  }

  /** Log lines with this message (the manager's `work started` / `work done` lines carry op and resource). */
  events(msg: string): { op: string; resource: string; time: number }[] {
    return this.logs.filter((l) => l.msg === msg).map((l) => ({ op: l.op as string, resource: l.resource as string, time: l.time as number }));
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.alive()) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Active-active: one API process and two volume processes of one cluster (`cluster =
 * cluster1`, each with a host of its own, one shared file backend directory), on
 * PostgreSQL or MariaDB and etcd, as real child processes. Work rows are claimed once; locks serialize across processes; a killed
 * volume process's work is taken over by the other.
 */
forEachDatabase('active-active cluster: API + two volume services on a server database and etcd', function (database) {
  backstop(this, 180_000);
  let db: TestDatabase | undefined;
  let etcd: Record<string, string> = {};
  let dir = '';
  let api: ServeProcess | undefined;
  const volumes: ServeProcess[] = [];

  const call = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${api!.url}${p}`, {
      method,
      headers: { 'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': 'volume 3.70', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  /** Waits until every id has left the transitional statuses; returns id → status ('deleted' when gone). */
  const settle = async (ids: string[], timeoutMs = 60_000): Promise<Map<string, string>> => {
    let last = '';
    return eventually({ name: 'cluster settle', ms: timeoutMs, waitingFor: `volumes to leave transitional statuses (last seen: ${ids.length} ids)` }, async () => {
      const statuses = new Map<string, string>();
      for (const id of ids) {
        const r = await call('GET', `/v3/volumes/${id}`);
        statuses.set(id, r.status === 404 ? 'deleted' : r.body.volume.status);
      }
      last = JSON.stringify(Object.fromEntries(statuses));
      return [...statuses.values()].every((s) => !TRANSITIONAL.includes(s)) ? statuses : undefined;
    }, 100).catch((err: Error) => {
      throw new Error(`${err.message}; still transitional: ${last}`);
    });
  };
  const createVolumes = async (n: number, extra: Record<string, unknown> = {}): Promise<string[]> => {
    const created = await Promise.all(Array.from({ length: n }, (_, i) => call('POST', '/v3/volumes', { volume: { size: 1, name: `c${i}`, ...extra } })));
    expect(created.map((r) => r.status)).to.deep.equal(created.map(() => 202));
    return created.map((r) => r.body.volume.id as string);
  };
  /** How many times each resource's operation started, over both volume processes. */
  const starts = (op: string): Map<string, number> => {
    const count = new Map<string, number>();
    for (const v of volumes) for (const e of v.events('work started')) if (e.op === op) count.set(e.resource, (count.get(e.resource) ?? 0) + 1);
    return count;
  };

  before(async function () {
    requireOrSkip(this, existsSync('/usr/bin/etcd'), 'etcd (apt-get install etcd-server)');
    const parse = (stdout: string) => Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
    const [d, e] = await Promise.all([database.create(), run(path.join(ROOT, 'scripts', 'etcd', 'start.sh'), [])]);
    db = d;
    etcd = parse(e.stdout);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ashlar-cluster-'));
    const conf = path.join(dir, 'ashlar.conf');
    await writeFile(
      conf,
      [
        '[DEFAULT]',
        'cluster = cluster1',
        'enabled_backends = shared',
        'log_level = debug',
        '[database]',
        `connection = ${db.connection}`,
        '[coordination]',
        `backend_url = etcd3+${etcd.ETCD_URL}`,
        `lock_timeout = ${LOCK_TIMEOUT_S}`,
        '[quota]',
        'volumes = -1',
        'gigabytes = -1',
        '[shared]',
        `volume_driver = ${FIXTURE}`,
        `directory = ${path.join(dir, 'volumes')}`,
        'delayMs = 300',
        '',
      ].join('\n'),
    );
    // The first process migrates the empty database; the others start together.
    volumes.push(await ServeProcess.start('volume-a', conf, 'volume', path.join(dir, 'a')));
    const [b, a] = await Promise.all([ServeProcess.start('volume-b', conf, 'volume', path.join(dir, 'b')), ServeProcess.start('api', conf, 'api', path.join(dir, 'api'))]);
    volumes.push(b);
    api = a;
  });

  after(async () => {
    for (const p of [api, ...volumes]) await p?.stop();
    if (etcd.ETCD_DIR) await run(path.join(ROOT, 'scripts', 'etcd', 'stop.sh'), [etcd.ETCD_DIR]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows each member in os-services with its own host and the cluster, and one cluster of two hosts', async () => {
    const services = (await call('GET', '/v3/os-services?binary=cinder-volume')).body.services as { host: string; cluster: string | null; state: string }[];
    const members = services.filter((s) => s.cluster === 'cluster1@shared');
    expect(members.map((s) => s.host).sort()).to.deep.equal(['volume-a@shared', 'volume-b@shared']);
    expect(members.map((s) => s.state)).to.deep.equal(['up', 'up']);
    const cluster = (await call('GET', '/v3/clusters/cluster1@shared?binary=cinder-volume')).body.cluster as Record<string, unknown>;
    expect(cluster).to.include({ name: 'cluster1@shared', num_hosts: 2, num_down_hosts: 0, state: 'up' });
  });

  it('refuses to start a cluster member whose driver does not declare activeActive, naming the driver and the option', async () => {
    const conf = path.join(dir, 'single-writer.conf');
    await writeFile(conf, (await readFile(path.join(dir, 'ashlar.conf'), 'utf8')).replace(/\[shared\][^]*$/, `[shared]\nvolume_driver = file\ndirectory = ${path.join(dir, 'plain')}\n`));
    const outcome = await run(process.execPath, [RUN, 'serve', '--config', conf, '--role', 'volume', '--state-dir', path.join(dir, 'single'), '--port', '0'], { timeout: 120_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }),
    );
    expect(outcome.code).to.not.equal(0);
    expect(outcome.stderr).to.match(/the file driver does not declare activeActive, so it cannot serve cluster "cluster1" \(\[DEFAULT\] cluster\)/);
  });

  it('runs each create exactly once although both volume services poll the same cluster', async () => {
    const ids = await createVolumes(24);
    const statuses = await settle(ids);
    expect([...statuses.values()]).to.deep.equal(ids.map(() => 'available'));
    const hosts = await Promise.all(ids.map(async (id) => (await call('GET', `/v3/volumes/${id}`)).body.volume['os-vol-host-attr:host'] as string));
    expect(new Set(hosts.map((h) => h.split('#')[0]))).to.deep.equal(new Set(['cluster1@shared']), 'volumes live on the cluster, not on a member');
    const counts = starts('create_volume');
    expect(ids.map((id) => counts.get(id) ?? 0)).to.deep.equal(ids.map(() => 1), 'every create ran once, in one process');
    const split = volumes.map((v) => v.events('work started').filter((e) => ids.includes(e.resource)).length);
    console.log(`      creates per volume service: ${split.join(' + ')}`);
    // Stays available: no late second run flips a volume to error.
    await new Promise((r) => setTimeout(r, 500));
    expect([...(await settle(ids)).values()]).to.deep.equal(ids.map(() => 'available'));
  });

  it('runs clones of one source in parallel across processes while a delete of the source waits for all of them', async () => {
    const [src] = await createVolumes(1);
    expect((await settle([src!])).get(src!)).to.equal('available');
    const clones: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call('POST', '/v3/volumes', { volume: { source_volid: src } });
      expect(r.status).to.equal(202);
      clones.push(r.body.volume.id);
    }
    expect((await call('DELETE', `/v3/volumes/${src}`)).status).to.equal(202);
    const statuses = await settle([...clones, src!]);
    expect(clones.map((c) => statuses.get(c))).to.deep.equal(clones.map(() => 'available'));
    expect(statuses.get(src!)).to.equal('deleted');
    const counts = starts('create_volume');
    expect(clones.map((c) => counts.get(c))).to.deep.equal(clones.map(() => 1));
    const all = volumes.flatMap((v) => v.events('work done'));
    const cloneDone = all.filter((e) => clones.includes(e.resource)).map((e) => e.time);
    const cloneStarted = volumes.flatMap((v) => v.events('work started')).filter((e) => clones.includes(e.resource)).map((e) => e.time);
    const deleteStarted = volumes.flatMap((v) => v.events('work started')).filter((e) => e.resource === src && e.op === 'delete_volume');
    expect(deleteStarted).to.have.length(1);
    expect(deleteStarted[0]!.time).to.be.at.least(Math.max(...cloneDone), 'the delete waited for every clone');
    expect(Math.min(...cloneDone)).to.be.greaterThan(Math.min(...cloneStarted));
    const overlapping = cloneStarted.filter((s) => s < Math.min(...cloneDone)).length;
    expect(overlapping).to.be.greaterThan(1, 'shared locks let clones run together');
  });

  it('finishes or fails the work of a volume service killed with SIGKILL, leaving nothing transitional', async () => {
    const ids = await createVolumes(10);
    // Kill whichever volume service is in the middle of a create.
    const victim: ServeProcess | undefined = await eventually({ name: 'a create in flight', ms: 4000, waitingFor: 'a volume service to log "work started" for a create it has not finished' }, () =>
      volumes.find((v) => {
        const started = v.events('work started').filter((e) => ids.includes(e.resource)).length;
        const done = v.events('work done').filter((e) => ids.includes(e.resource)).length;
        return started > done;
      }), 20);
    expect(victim, 'a volume service started a create').to.not.equal(undefined);
    const inFlight = victim!.events('work started').filter((e) => ids.includes(e.resource)).map((e) => e.resource);
    const exited = new Promise((r) => victim!.child.once('exit', r));
    victim!.child.kill('SIGKILL');
    await exited;
    const survivor = volumes.find((v) => v !== victim)!;

    const statuses = await settle(ids, (LOCK_TIMEOUT_S + 30) * 1000);
    for (const [id, status] of statuses) expect(['available', 'error'], id).to.include(status);
    const tookOver = survivor.logs.filter((l) => l.msg === 'took over work from a volume service that stopped').length;
    const victimDone = victim!.events('work done').map((e) => e.resource);
    const unfinished = inFlight.filter((id) => !victimDone.includes(id));
    expect(unfinished.length).to.be.greaterThan(0);
    expect(tookOver).to.be.at.least(unfinished.length, 'the survivor took over every create the victim left unfinished');
    for (const id of unfinished) expect(statuses.get(id), id).to.equal('available');

    const other = await openDatabase(parseDatabaseUrl(db!.connection, dir, { busyTimeoutMs: 10_000, poolSize: 1 }));
    try {
      const left = await other.db.selectFrom('work').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(left.n)).to.equal(0);
    } finally {
      await other.close();
    }
  });

  it('runs an all-in-one process on etcd through the same claims (its own host, in this process)', async () => {
    // Its own zone: the cluster's API must not schedule onto it after it stops.
    const solo = await startTestService(
      `[DEFAULT]\nhost = solo\nstorage_availability_zone = solo-az\n[coordination]\nbackend_url = etcd3+${etcd.ETCD_URL}\nlock_timeout = ${LOCK_TIMEOUT_S}\n[quota]\nvolumes = -1\ngigabytes = -1\n`,
      { database: db! },
    );
    try {
      expect(solo.service.coordinator.distributed).to.equal(true);
      const v = await solo.call('POST', '/v3/volumes', { body: { volume: { size: 1 } } });
      const src = await solo.waitFor(`/v3/volumes/${v.body.volume.id}`, 'volume', ['available']);
      expect(src.os_vol_host_attr_host ?? src['os-vol-host-attr:host']).to.match(/^solo@/);
      const clones = await Promise.all([1, 2, 3].map(() => solo.call('POST', '/v3/volumes', { body: { volume: { source_volid: src.id } } })));
      expect((await solo.call('DELETE', `/v3/volumes/${src.id}`)).status).to.equal(202);
      for (const c of clones) await solo.waitFor(`/v3/volumes/${c.body.volume.id}`, 'volume', ['available']);
      await solo.waitFor(`/v3/volumes/${src.id}`, 'volume', ['deleted']);
    } finally {
      await solo.stop();
    }
  });
}, ['postgresql', 'mariadb']);
