/** How a lock is held: many shared holders at once, or one exclusive holder. */
export type LockMode = 'shared' | 'exclusive';

/** Gives a held lock back. Calling it twice is harmless. */
export type Release = () => void;

/**
 * Named shared/exclusive locks across everything that manages the same resources. The
 * in-process implementation serves a single process; a distributed one (etcd) serves an
 * active-active cluster behind the same interface.
 */
export interface Coordinator {
  /** Waits until the lock is granted in `mode`. Aborting the signal gives up waiting. */
  acquire(name: string, mode: LockMode, signal?: AbortSignal): Promise<Release>;
  /** Locks several names in a fixed order (sorted), so two callers never deadlock. */
  acquireAll(locks: ReadonlyArray<{ name: string; mode: LockMode }>, signal?: AbortSignal): Promise<Release>;
  close(): Promise<void>;
}
