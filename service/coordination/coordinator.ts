/** How a lock is held: many shared holders at once, or one exclusive holder. */
export type LockMode = 'shared' | 'exclusive';

/** Gives a held lock back. Calling it twice is harmless. */
export type Release = () => void;

/** One lock of a multi-lock request. */
export interface LockRequest {
  readonly name: string;
  readonly mode: LockMode;
}

/**
 * A place taken in the queues of several locks at once. `granted` resolves when every lock
 * is held, or rejects with ABORTED when the request's signal aborts first (its places are
 * then given up). The caller must await or catch `granted`.
 */
export interface QueuedLocks {
  readonly granted: Promise<Release>;
}

/**
 * Named shared/exclusive locks across everything that manages the same resources. The
 * in-process implementation serves a single process; a distributed one (etcd) serves an
 * active-active cluster behind the same interface. Waiters are served in the order they
 * queued, so a waiting exclusive request is never starved by shared requests that queue
 * after it.
 */
export interface Coordinator {
  /** True when other processes share these locks (the service then claims work before running it). */
  readonly distributed: boolean;
  /** Waits until the lock is granted in `mode`. Aborting the signal gives up waiting. */
  acquire(name: string, mode: LockMode, signal?: AbortSignal): Promise<Release>;
  /** Locks several names, queued together in sorted order, so two callers never deadlock. */
  acquireAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<Release>;
  /**
   * Takes a place in the queue of every lock at once (as {@link Coordinator.acquireAll})
   * and resolves as soon as those places are fixed, before they are granted: a caller that
   * queues requests one after another gets them granted in that order across every process.
   */
  queueAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<QueuedLocks>;
  /** Gives up every lock this coordinator holds or waits for. */
  close(): Promise<void>;
}

/**
 * The requests in the order they are queued: sorted by name, one entry per name
 * (exclusive wins), so a caller never waits for itself.
 */
export function normalizeLocks(locks: readonly LockRequest[]): LockRequest[] {
  const byName = new Map<string, LockMode>();
  for (const l of locks) byName.set(l.name, byName.get(l.name) === 'exclusive' ? 'exclusive' : l.mode);
  return [...byName.keys()].sort().map((name) => ({ name, mode: byName.get(name)! }));
}
