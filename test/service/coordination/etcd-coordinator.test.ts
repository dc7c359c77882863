import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Etcd3 } from 'etcd3';
import type { LockMode, Release } from '../../../service/coordination/coordinator.js';
import { EtcdCoordinator } from '../../../service/coordination/etcd.js';
import { pino, type Logger } from 'pino';
import { backstop, eventually, scaledMs, withinBudget } from '../../helpers/budget.js';
import { requireOrSkip } from '../helpers.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = path.resolve(here, '..', '..', '..', 'scripts', 'etcd');
const HOLDER = path.resolve(here, '..', 'fixtures', 'etcd-lock-holder.ts');

/** One turn of the event loop: promise chains already resolved have run after it. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Records when a pending acquisition is granted, without awaiting it. */
function track(p: Promise<Release>): { granted: () => boolean; release: () => Promise<void> } {
  let granted = false;
  const held = p.then((r) => ((granted = true), r));
  return { granted: () => granted, release: async () => (await held)() };
}

/**
 * The "still waiting" events a coordinator logs each time a queued request re-evaluates
 * its blockers and keeps waiting: tests wait for these instead of sleeping.
 */
function waitEvents(): { logger: Logger; count: () => number; next: (what: string, match: (blockers: number, index: number) => boolean) => Promise<void> } {
  const seen: number[] = [];
  const logger = pino({ level: 'debug' }, {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; blockers?: number };
      if (entry.msg === 'etcd lock: still waiting') seen.push(entry.blockers ?? -1);
    },
  });
  const next = async (what: string, match: (blockers: number, index: number) => boolean): Promise<void> => {
    await eventually({ name: 'lock wait event', ms: 10_000, waitingFor: what }, () => (seen.some((b, i) => match(b, i)) ? true : undefined), 5);
  };
  return { logger, count: () => seen.length, next };
}

/** Two coordinators stand for two service processes: each has its own client and lease. */
describe('coordination: etcd shared/exclusive locks', function () {
  backstop(this, 60_000);
  let env: Record<string, string> = {};
  let prefix = '';
  const open: EtcdCoordinator[] = [];
  const children: ChildProcess[] = [];
  const connect = async (lockTimeoutS = 10, logger?: Logger): Promise<EtcdCoordinator> => {
    const c = await EtcdCoordinator.connect({ endpoints: [env.ETCD_URL!], prefix, lockTimeoutS, ...(logger ? { logger } : {}) });
    open.push(c);
    return c;
  };
  /** Waits until the lock's keys in etcd number `n` (releases delete keys in the background). */
  const keyCount = (lock: string, n: number): Promise<string[]> =>
    eventually({ name: 'etcd key count', ms: 10_000, waitingFor: `${n} key(s) under lock ${lock}` }, async () => {
      const keys = await keysUnder(lock);
      return keys.length === n ? keys : undefined;
    });
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
    expect(await keyCount('volume:src', 0)).to.deep.equal([]);
  });

  it('makes an exclusive request wait until every shared holder released', async () => {
    const events = waitEvents();
    const [a, b] = [await connect(), await connect(10, events.logger)];
    const s1 = await a.acquire('v', 'shared');
    const s2 = await b.acquire('v', 'shared');
    // Queued: its key is in etcd and the first decision has been made.
    const ex = track((await b.queueAll([{ name: 'v', mode: 'exclusive' }])).granted);
    expect(await keysUnder('v')).to.have.length(3);
    await settle();
    expect(ex.granted()).to.equal(false);
    s1();
    // The waiter has seen the first holder's key go, and re-evaluated.
    await events.next('the exclusive waiter to see one shared holder left', (blockers) => blockers === 1);
    await settle();
    expect(ex.granted()).to.equal(false, 'one shared holder is left');
    s2();
    await ex.release();
    expect(ex.granted()).to.equal(true);
  });

  it('is fair: a shared request queued after a waiting exclusive one waits for it', async () => {
    const lateEvents = waitEvents();
    const [a, b, c] = [await connect(), await connect(), await connect(10, lateEvents.logger)];
    const order: string[] = [];
    const first = await a.acquire('v', 'shared');
    const ex = (await b.queueAll([{ name: 'v', mode: 'exclusive' }])).granted.then((r) => (order.push('exclusive'), r));
    const late = (await c.queueAll([{ name: 'v', mode: 'shared' }])).granted.then((r) => (order.push('late shared'), r));
    // The late request is queued and watching (its first "still waiting").
    await lateEvents.next('the late shared request to start waiting', () => true);
    await settle();
    expect(order).to.deep.equal([], 'the late shared request must not join the first holder');
    const before = lateEvents.count();
    first();
    const rex = await ex;
    // The late request has seen the first holder go too, and still waits for the exclusive one.
    await lateEvents.next('the late shared request to see the first holder go', (_b, i) => i >= before);
    await settle();
    expect(order).to.deep.equal(['exclusive']);
    rex();
    (await late)();
    expect(order).to.deep.equal(['exclusive', 'late shared']);
  });

  it('grants requests in the order they were queued across processes (queueAll)', async () => {
    const bEvents = waitEvents();
    const [a, b] = [await connect(), await connect(10, bEvents.logger)];
    const order: string[] = [];
    const holder = await a.acquire('src', 'exclusive');
    const modes: [EtcdCoordinator, LockMode, string][] = [[b, 'shared', 'clone 1'], [a, 'shared', 'clone 2'], [b, 'exclusive', 'delete'], [a, 'shared', 'clone 3']];
    const granted: Promise<Release>[] = [];
    for (const [c, mode, label] of modes) granted.push((await c.queueAll([{ name: 'src', mode }])).granted.then((r) => (order.push(label), r)));
    holder();
    const [c1, c2] = await Promise.all(granted.slice(0, 2));
    // The delete (b's only request with three blockers: holder, clone 1, clone 2) has seen
    // the holder go and still waits for the two clones.
    await bEvents.next('the delete to see the holder go', (blockers) => blockers === 2);
    await settle();
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
        await settle();
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
    const waiting = (await b.queueAll([{ name: 'v', mode: 'exclusive' }], ac.signal)).granted;
    expect(await keysUnder('v')).to.have.length(2);
    ac.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect((err as { code: string }).code).to.equal('ABORTED');
    await keyCount('v', 1);
    // The aborted exclusive request no longer stands in front of a new shared one: granted
    // at once (no blockers when queued).
    const secondQ = await b.queueAll([{ name: 'v', mode: 'shared' }]);
    const second = track(secondQ.granted);
    await settle();
    expect(second.granted()).to.equal(true);
    await second.release();
    held();
  });

  it('releases the locks of a closed coordinator at once (lease revoked)', async () => {
    // A lease of an hour: a grant within this test can only come from the revocation.
    const [a, b] = [await connect(3600), await connect()];
    await a.acquire('v', 'exclusive');
    const waiting = track((await b.queueAll([{ name: 'v', mode: 'exclusive' }])).granted);
    await settle();
    expect(waiting.granted()).to.equal(false);
    await a.close();
    await waiting.release();
    expect(waiting.granted()).to.equal(true);
  });

  it('frees the locks of a holder process killed with SIGKILL when its lease expires', async () => {
    // The lease TTL is wall-clock by nature (etcd expires it): scaled to the machine, so a
    // starved holder's keepalive is not what this test measures.
    const ttl = Math.ceil(scaledMs(2000) / 1000);
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, env.ETCD_URL!, prefix, 'volume:held', 'exclusive', String(ttl)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    const b = await connect();
    // Held while the holder lives (its keepalive renews the lease past the TTL): a request
    // waiting longer than the TTL is not granted.
    const early = await b.acquire('volume:held', 'shared', AbortSignal.timeout((ttl + 1) * 1000)).catch((e: unknown) => e);
    expect((early as { code?: string }).code).to.equal('ABORTED');
    const [holderKey] = await keysUnder('volume:held');
    const client = new Etcd3({ hosts: env.ETCD_URL! });
    try {
      const lease = (await client.getAll().prefix(`${prefix}volume:held/`).exec()).kvs[0]!.lease;
      child.kill('SIGKILL');
      const waited = await withinBudget({ name: 'lease expiry after SIGKILL', ms: (ttl + 10) * 1000, waitingFor: `the killed holder's lease (TTL ${ttl} s) to expire and the lock to be granted` }, () =>
        b.acquire('volume:held', 'exclusive'),
      );
      // Granted because the lease is gone (not because the holder's key was deleted otherwise).
      expect((await client.leaseClient.leaseTimeToLive({ ID: lease })).TTL).to.equal('-1');
      waited();
      expect(await keysUnder('volume:held')).to.not.include(holderKey);
    } finally {
      client.close();
    }
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
