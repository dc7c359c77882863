import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Etcd3 } from 'etcd3';
import type { LockMode, Release } from '../../../service/coordination/coordinator.js';
import { EtcdCoordinator } from '../../../service/coordination/etcd.js';
import { requireOrSkip } from '../helpers.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = path.resolve(here, '..', '..', '..', 'scripts', 'etcd');
const HOLDER = path.resolve(here, '..', 'fixtures', 'etcd-lock-holder.ts');

const tick = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** Records when a pending acquisition is granted, without awaiting it. */
function track(p: Promise<Release>): { granted: () => boolean; release: () => Promise<void> } {
  let granted = false;
  const held = p.then((r) => ((granted = true), r));
  return { granted: () => granted, release: async () => (await held)() };
}

/** Two coordinators stand for two service processes: each has its own client and lease. */
describe('coordination: etcd shared/exclusive locks', function () {
  this.timeout(60_000);
  let env: Record<string, string> = {};
  let prefix = '';
  const open: EtcdCoordinator[] = [];
  const children: ChildProcess[] = [];
  const connect = async (lockTimeoutS = 10): Promise<EtcdCoordinator> => {
    const c = await EtcdCoordinator.connect({ endpoints: [env.ETCD_URL!], prefix, lockTimeoutS });
    open.push(c);
    return c;
  };
  const keysUnder = async (lock: string): Promise<string[]> => {
    const client = new Etcd3({ hosts: env.ETCD_URL! });
    try {
      return await client.getAll().prefix(`${prefix}${lock}/`).keys();
    } finally {
      client.close();
    }
  };

  before(async function () {
    requireOrSkip(this, existsSync('/usr/bin/etcd'), 'etcd (apt-get install etcd-server)');
    const { stdout } = await run(path.join(scripts, 'start.sh'), []);
    env = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
  });
  beforeEach(function () {
    prefix = `test-${Date.now()}-${Math.random().toString(36).slice(2)}/`;
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  after(async () => {
    if (env.ETCD_DIR) await run(path.join(scripts, 'stop.sh'), [env.ETCD_DIR]);
  });

  it('grants shared holders of two processes together', async () => {
    const [a, b] = [await connect(), await connect()];
    const ra = await a.acquire('volume:src', 'shared');
    const rb = await b.acquire('volume:src', 'shared');
    expect(await keysUnder('volume:src')).to.have.length(2);
    ra();
    rb();
    await tick();
    expect(await keysUnder('volume:src')).to.deep.equal([]);
  });

  it('makes an exclusive request wait until every shared holder released', async () => {
    const [a, b] = [await connect(), await connect()];
    const s1 = await a.acquire('v', 'shared');
    const s2 = await b.acquire('v', 'shared');
    const ex = track(b.acquire('v', 'exclusive'));
    await tick();
    expect(ex.granted()).to.equal(false);
    s1();
    await tick();
    expect(ex.granted()).to.equal(false, 'one shared holder is left');
    s2();
    await ex.release();
    expect(ex.granted()).to.equal(true);
  });

  it('is fair: a shared request queued after a waiting exclusive one waits for it', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const order: string[] = [];
    const first = await a.acquire('v', 'shared');
    const ex = b.acquire('v', 'exclusive').then((r) => (order.push('exclusive'), r));
    await tick(50);
    const late = c.acquire('v', 'shared').then((r) => (order.push('late shared'), r));
    await tick();
    expect(order).to.deep.equal([], 'the late shared request must not join the first holder');
    first();
    const rex = await ex;
    await tick();
    expect(order).to.deep.equal(['exclusive']);
    rex();
    (await late)();
    expect(order).to.deep.equal(['exclusive', 'late shared']);
  });

  it('grants requests in the order they were queued across processes (queueAll)', async () => {
    const [a, b] = [await connect(), await connect()];
    const order: string[] = [];
    const holder = await a.acquire('src', 'exclusive');
    const modes: [EtcdCoordinator, LockMode, string][] = [[b, 'shared', 'clone 1'], [a, 'shared', 'clone 2'], [b, 'exclusive', 'delete'], [a, 'shared', 'clone 3']];
    const granted: Promise<Release>[] = [];
    for (const [c, mode, label] of modes) granted.push((await c.queueAll([{ name: 'src', mode }])).granted.then((r) => (order.push(label), r)));
    holder();
    const [c1, c2] = await Promise.all(granted.slice(0, 2));
    await tick();
    expect(order.slice().sort()).to.deep.equal(['clone 1', 'clone 2']);
    c1!();
    c2!();
    (await granted[2]!)();
    (await granted[3]!)();
    expect(order.slice(2)).to.deep.equal(['delete', 'clone 3']);
  });

  it('locks several names in opposite orders from two processes without deadlock', async () => {
    const [a, b] = [await connect(), await connect()];
    const rounds = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const c = i % 2 ? a : b;
        const names = i % 2 ? ['x', 'y', 'z'] : ['z', 'y', 'x'];
        const r = await c.acquireAll(names.map((name) => ({ name, mode: 'exclusive' as const })));
        await tick(5);
        r();
        return i;
      }),
    );
    expect(rounds).to.have.length(10);
  });

  it('gives up waiting when the signal aborts, removing its key so later requests are not blocked', async () => {
    const [a, b] = [await connect(), await connect()];
    const held = await a.acquire('v', 'shared');
    const ac = new AbortController();
    const waiting = b.acquire('v', 'exclusive', ac.signal);
    await tick();
    expect(await keysUnder('v')).to.have.length(2);
    ac.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect((err as { code: string }).code).to.equal('ABORTED');
    await tick();
    expect(await keysUnder('v')).to.have.length(1);
    // The aborted exclusive request no longer stands in front of a new shared one.
    const second = await b.acquire('v', 'shared', AbortSignal.timeout(2000));
    second();
    held();
  });

  it('releases the locks of a closed coordinator at once (lease revoked)', async () => {
    const [a, b] = [await connect(30), await connect()];
    await a.acquire('v', 'exclusive');
    const waiting = track(b.acquire('v', 'exclusive'));
    await tick();
    expect(waiting.granted()).to.equal(false);
    const t0 = performance.now();
    await a.close();
    await waiting.release();
    expect(performance.now() - t0).to.be.lessThan(5000, 'well before the 30 s lease would expire');
  });

  it('frees the locks of a holder process killed with SIGKILL when its lease expires', async () => {
    const ttl = 2;
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, env.ETCD_URL!, prefix, 'volume:held', 'exclusive', String(ttl)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    const b = await connect();
    // Held while the holder lives (its keepalive renews the lease past the TTL).
    const early = await b.acquire('volume:held', 'shared', AbortSignal.timeout((ttl + 1) * 1000)).catch((e: unknown) => e);
    expect((early as { code?: string }).code).to.equal('ABORTED');
    const t0 = performance.now();
    child.kill('SIGKILL');
    const release = await b.acquire('volume:held', 'exclusive', AbortSignal.timeout(20_000));
    const waited = performance.now() - t0;
    release();
    expect(waited).to.be.lessThan((ttl + 3) * 1000);
    expect(await keysUnder('volume:held')).to.have.length.lessThanOrEqual(1);
  });

  it('refuses lock names that cannot be etcd key segments', async () => {
    const a = await connect();
    for (const bad of ['', 'a/b', 'x y', 'volume:\n', 'v'.repeat(201)]) {
      const err = await a.acquire(bad, 'shared').catch((e: unknown) => e);
      expect((err as { code: string }).code, JSON.stringify(bad)).to.equal('INVALID_ARGUMENT');
    }
  });

  it('fails to connect with BACKEND_UNAVAILABLE when nothing listens', async () => {
    const err = await EtcdCoordinator.connect({ endpoints: ['http://127.0.0.1:1'], callTimeoutMs: 1500 }).catch((e: unknown) => e);
    expect((err as { code: string }).code).to.equal('BACKEND_UNAVAILABLE');
  });
});
