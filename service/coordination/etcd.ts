// Named import: the package is CommonJS flagged __esModule, which has no usable default export.
import { Etcd3, type IKeyValue, type IRequestOp, type Lease, type Watcher } from 'etcd3';
import type { Logger } from 'pino';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { silentLogger } from '../../core/logging.js';
import { normalizeLocks, type Coordinator, type LockMode, type LockRequest, type QueuedLocks, type Release } from './coordinator.js';

/** Options of {@link EtcdCoordinator.connect}. */
export interface EtcdCoordinatorOptions {
  /** Client URLs, `http://HOST:PORT` or `https://HOST:PORT`. */
  readonly endpoints: readonly string[];
  /**
   * Seconds a silent process keeps its locks: the TTL of its etcd lease, kept alive every
   * third of it. @defaultValue 30
   */
  readonly lockTimeoutS?: number;
  /** Key prefix of every lock. @defaultValue `ashlar/locks/` */
  readonly prefix?: string;
  /** How long one etcd call (and the first connection) may take. @defaultValue 10000 */
  readonly callTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Characters a lock name may use: it becomes part of an etcd key, and `/` separates holders. */
const LOCK_NAME = /^[A-Za-z0-9_.:@#=-]{1,200}$/;

/**
 * Throws INVALID_ARGUMENT unless `name` can be used as a lock name (letters, digits and
 * `_ . : @ # = -`, 1–200 characters).
 */
export function assertValidLockName(name: string): void {
  if (!LOCK_NAME.test(name)) throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `lock name ${JSON.stringify(name)} must be 1-200 characters of letters, digits and _ . : @ # = -` } });
}

interface LeaseHandle {
  readonly lease: Lease;
  /** Decimal id, as the client passes it to etcd. */
  readonly id: string;
  /** Hex id, unique across the cluster while the lease lives: names this process's keys. */
  readonly hex: string;
  /** Waiters to fail when the lease is lost (their keys are gone). */
  readonly waiters: Set<(err: unknown) => void>;
  lost: boolean;
}

interface QueuedLock {
  readonly prefix: string;
  readonly mode: LockMode;
  /** Keys queued before ours that conflict with our mode, by key. */
  readonly blockers: Set<string>;
}

/**
 * Shared/exclusive locks in etcd, for several service processes (active-active).
 *
 * A request writes one key per lock under `<prefix><lock name>/`, all in one transaction
 * (so one revision orders the whole request) and attached to this process's lease. Keys of
 * a lock are ordered by create revision: a shared request waits for the exclusive keys
 * before it, an exclusive one for every key before it, watching their deletion. A request queued later never
 * overtakes an earlier one, which makes the locks fair (a waiting exclusive request is not
 * starved by later shared ones) and multi-lock requests free of deadlocks. Aborting or
 * releasing deletes the keys; a process that dies loses them when its lease expires.
 */
export class EtcdCoordinator implements Coordinator {
  readonly distributed = true;
  readonly #client: Etcd3;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #callTimeoutMs: number;
  readonly #logger: Logger;
  #lease: Promise<LeaseHandle> | undefined;
  #seq = 0;
  #closed = false;
  readonly #inflight = new Set<Promise<void>>();

  private constructor(options: EtcdCoordinatorOptions) {
    this.#prefix = options.prefix ?? 'ashlar/locks/';
    this.#ttl = options.lockTimeoutS ?? 30;
    this.#callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.#logger = options.logger ?? silentLogger();
    this.#client = new Etcd3({ hosts: [...options.endpoints], dialTimeout: this.#callTimeoutMs });
  }

  /**
   * Connects and takes the lease, so a wrong URL fails at start-up.
   * @throws BACKEND_UNAVAILABLE when etcd cannot be reached in time.
   */
  static async connect(options: EtcdCoordinatorOptions): Promise<EtcdCoordinator> {
    const c = new EtcdCoordinator(options);
    try {
      await c.#currentLease();
    } catch (err) {
      c.#closed = true;
      c.#client.close();
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `etcd at ${options.endpoints.join(', ')}: ${(err as Error).message}` }, cause: err });
    }
    return c;
  }

  async acquire(name: string, mode: LockMode, signal?: AbortSignal): Promise<Release> {
    return (await this.queueAll([{ name, mode }], signal)).granted;
  }

  async acquireAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<Release> {
    return (await this.queueAll(locks, signal)).granted;
  }

  async queueAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<QueuedLocks> {
    const requests = normalizeLocks(locks);
    for (const r of requests) assertValidLockName(r.name);
    if (signal?.aborted) throw aborted(requests);
    this.#assertOpen();
    const lease = await this.#currentLease();
    const queued = requests.map((r) => ({ ...r, prefix: `${this.#prefix}${r.name}/`, key: `${this.#prefix}${r.name}/${lease.hex}-${(++this.#seq).toString(36)}` }));
    const keys = queued.map((q) => q.key);
    const ops: IRequestOp[] = [
      ...queued.map((q) => ({ request_put: { key: Buffer.from(q.key), value: Buffer.from(q.mode), lease: lease.id } })),
      ...queued.map((q) => ({ request_range: { key: Buffer.from(q.prefix), range_end: prefixEnd(q.prefix) } })),
    ];
    const res = await this.#client.kv.txn({ success: ops }, this.#callOptions()).catch((err: unknown) => {
      // The transaction may have been applied although the answer was lost: keys nobody
      // deletes would hold their locks for as long as this process keeps its lease.
      this.#deleteKeys(keys);
      throw unavailable(err);
    });
    const revision = BigInt(res.header.revision);
    const lockStates: QueuedLock[] = queued.map((q, i) => ({
      prefix: q.prefix,
      mode: q.mode,
      blockers: blockersOf(res.responses[queued.length + i]!.response_range.kvs, revision, q.mode),
    }));
    if (signal?.aborted) {
      this.#deleteKeys(keys);
      throw aborted(requests);
    }
    return { granted: this.#wait(lease, requests, keys, lockStates, revision, signal) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const lease = await this.#lease?.catch(() => undefined);
    for (const fail of lease?.waiters ?? []) fail(new AshlarError('ABORTED', { details: { operation: 'etcd lock wait (coordinator closed)' } }));
    await Promise.allSettled([...this.#inflight]);
    // Revoking the lease deletes every key it still holds.
    await lease?.lease.revoke().catch((err: unknown) => this.#logger.warn({ err }, 'etcd lease revoke failed; its keys expire with it'));
    this.#client.close();
  }

  /** Waits until no key queued before ours conflicts on any lock. */
  #wait(lease: LeaseHandle, requests: LockRequest[], keys: string[], locks: QueuedLock[], revision: bigint, signal: AbortSignal | undefined): Promise<Release> {
    const release: Release = () => this.#deleteKeys(keys);
    if (locks.every((l) => l.blockers.size === 0)) return Promise.resolve(onceOnly(release));
    return new Promise<Release>((resolve, reject) => {
      const watchers = new Set<Watcher>();
      let done = false;
      const finish = (err?: unknown): void => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        lease.waiters.delete(finish);
        for (const w of watchers) void w.cancel().catch(() => undefined);
        if (err === undefined) return resolve(onceOnly(release));
        this.#deleteKeys(keys);
        reject(err);
      };
      const onAbort = (): void => finish(aborted(requests));
      signal?.addEventListener('abort', onAbort, { once: true });
      lease.waiters.add(finish);
      if (lease.lost) return finish(unavailable(new Error('lease lost while queueing')));
      const check = (): void => {
        const blockers = locks.reduce((n, l) => n + l.blockers.size, 0);
        if (blockers === 0) return finish();
        // Each re-evaluation that leaves the request waiting is an observable event (tests
        // wait on it instead of sleeping before asserting "not granted yet").
        this.#logger.debug({ keys, blockers }, 'etcd lock: still waiting');
      };
      // A watch that starts at the current revision is served at once, whereas one asked
      // to replay history waits for etcd's catch-up loop (up to 100 ms). So: watch from now,
      // then read the blockers again; a delete is either in that read or seen by the watch
      // (keys are never re-created, so a key seen deleted stays gone).
      const watch = async (lock: QueuedLock): Promise<void> => {
        const gone = new Set<string>();
        const w = await this.#client.watch().prefix(lock.prefix).only('delete').create();
        if (done) return void w.cancel().catch(() => undefined);
        watchers.add(w);
        w.on('delete', (kv: IKeyValue) => {
          const key = kv.key.toString();
          gone.add(key);
          lock.blockers.delete(key);
          check();
        });
        w.on('error', (err: unknown) => {
          watchers.delete(w);
          this.#logger.warn({ err, lock: lock.prefix }, 'etcd lock watch failed; watching again');
          if (!done) watch(lock).catch((e: unknown) => finish(unavailable(e)));
        });
        await this.#reread(lock, revision);
        for (const key of gone) lock.blockers.delete(key);
        check();
      };
      for (const lock of locks) if (lock.blockers.size > 0) watch(lock).catch((e: unknown) => finish(unavailable(e)));
    });
  }

  /** Reads the keys queued before `revision` again. */
  async #reread(lock: QueuedLock, revision: bigint): Promise<void> {
    const r = await this.#client.kv.range({ key: Buffer.from(lock.prefix), range_end: prefixEnd(lock.prefix), max_create_revision: (revision - 1n).toString() }, this.#callOptions());
    lock.blockers.clear();
    for (const k of blockersOf(r.kvs, revision, lock.mode)) lock.blockers.add(k);
  }

  /** Deletes keys, retrying until etcd answers: a key left behind would hold its lock until the lease ends. */
  #deleteKeys(keys: string[]): void {
    const attempt = async (): Promise<void> => {
      for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1000)) {
        try {
          await this.#client.kv.txn({ success: keys.map((k) => ({ request_delete_range: { key: Buffer.from(k) } })) }, this.#callOptions());
          return;
        } catch (err) {
          if (this.#closed) return;
          this.#logger.warn({ err }, 'etcd lock release failed; retrying');
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
    };
    const p = attempt().finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  #currentLease(): Promise<LeaseHandle> {
    if (this.#lease) return this.#lease;
    const lease = this.#client.lease(this.#ttl, { autoKeepAlive: true });
    const p = withTimeout(lease.grant(), this.#callTimeoutMs, 'lease grant').then((id) => {
      const handle: LeaseHandle = { lease, id, hex: BigInt(id).toString(16), waiters: new Set(), lost: false };
      lease.on('lost', (err) => {
        // Keys of this lease are gone: waiters would be granted without holding anything,
        // and holders no longer exclude anyone. The next request takes a new lease.
        this.#logger.error({ err, lease: handle.hex }, 'etcd lease lost: locks of this process were released');
        handle.lost = true;
        if (this.#lease === p) this.#lease = undefined;
        for (const fail of [...handle.waiters]) fail(unavailable(err));
      });
      return handle;
    });
    this.#lease = p;
    p.catch(() => {
      if (this.#lease === p) this.#lease = undefined;
      lease.release();
    });
    return p;
  }

  #callOptions(): { deadline: number } {
    return { deadline: Date.now() + this.#callTimeoutMs };
  }

  #assertOpen(): void {
    if (this.#closed) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'the etcd coordinator is closed' } });
  }
}

/** Keys created before `revision` that a request in `mode` must wait for. */
function blockersOf(kvs: readonly IKeyValue[], revision: bigint, mode: LockMode): Set<string> {
  return new Set(kvs.filter((kv) => BigInt(kv.create_revision) < revision && (mode === 'exclusive' || kv.value.toString() === 'exclusive')).map((kv) => kv.key.toString()));
}

/** The end of the key range of a prefix: the prefix with its last byte incremented. */
function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  b[b.length - 1] = b[b.length - 1]! + 1;
  return b;
}

function onceOnly(fn: () => void): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

function aborted(locks: readonly LockRequest[]): AshlarError {
  return new AshlarError('ABORTED', { details: { operation: `lock ${locks.map((l) => l.name).join(', ')}` } });
}

function unavailable(err: unknown): AshlarError {
  return new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `etcd: ${(err as Error)?.message ?? String(err)}` }, cause: err });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
