import { AshlarError } from '../../core/errors/ashlar-error.js';
import { normalizeLocks, type Coordinator, type LockMode, type LockRequest, type QueuedLocks, type Release } from './coordinator.js';

interface Waiter {
  readonly mode: LockMode;
  readonly grant: () => void;
}

interface LockState {
  shared: number;
  exclusive: boolean;
  readonly queue: Waiter[];
}

/**
 * Shared/exclusive locks for one process. Waiters are served in arrival order, so a
 * delete waiting behind running clones is not starved by clones that arrive later.
 */
export class InProcessCoordinator implements Coordinator {
  readonly distributed = false;
  readonly #locks = new Map<string, LockState>();

  /** Names currently held or waited for (for tests and diagnostics). */
  get activeLocks(): string[] {
    return [...this.#locks.keys()];
  }

  async acquire(name: string, mode: LockMode, signal?: AbortSignal): Promise<Release> {
    return (await this.queueAll([{ name, mode }], signal)).granted;
  }

  async acquireAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<Release> {
    return (await this.queueAll(locks, signal)).granted;
  }

  async queueAll(locks: readonly LockRequest[], signal?: AbortSignal): Promise<QueuedLocks> {
    if (signal?.aborted) throw aborted(locks);
    const held: Release[] = [];
    const releaseAll: Release = () => {
      for (const r of held.splice(0).reverse()) r();
    };
    const waiting: { name: string; state: LockState; waiter: Waiter }[] = [];
    let settle!: { resolve: (r: Release) => void; reject: (e: unknown) => void };
    const granted = new Promise<Release>((resolve, reject) => (settle = { resolve, reject }));
    const onAbort = (): void => {
      for (const w of waiting.splice(0)) {
        const i = w.state.queue.indexOf(w.waiter);
        if (i >= 0) w.state.queue.splice(i, 1);
        this.#drain(w.name, w.state);
      }
      releaseAll();
      settle.reject(aborted(locks));
    };
    const grantedOne = (): void => {
      if (waiting.length > 0) return;
      signal?.removeEventListener('abort', onAbort);
      settle.resolve(releaseAll);
    };
    // Every place is taken synchronously, so requests are ordered as a whole: a later
    // request never overtakes an earlier one on any lock, and none can deadlock.
    for (const { name, mode } of normalizeLocks(locks)) {
      let state = this.#locks.get(name);
      if (!state) {
        state = { shared: 0, exclusive: false, queue: [] };
        this.#locks.set(name, state);
      }
      const s = state;
      if (s.queue.length === 0 && compatible(s, mode)) {
        held.push(this.#take(name, s, mode));
        continue;
      }
      const entry = {
        name,
        state: s,
        waiter: {
          mode,
          grant: () => {
            waiting.splice(waiting.indexOf(entry), 1);
            held.push(this.#take(name, s, mode));
            grantedOne();
          },
        },
      };
      waiting.push(entry);
      s.queue.push(entry.waiter);
    }
    if (waiting.length > 0) signal?.addEventListener('abort', onAbort, { once: true });
    grantedOne();
    return { granted };
  }

  async close(): Promise<void> {}

  #take(name: string, s: LockState, mode: LockMode): Release {
    if (mode === 'shared') s.shared++;
    else s.exclusive = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === 'shared') s.shared--;
      else s.exclusive = false;
      this.#drain(name, s);
    };
  }

  #drain(name: string, s: LockState): void {
    while (s.queue.length > 0 && compatible(s, s.queue[0]!.mode)) s.queue.shift()!.grant();
    if (s.queue.length === 0 && s.shared === 0 && !s.exclusive) this.#locks.delete(name);
  }
}

function compatible(s: LockState, mode: LockMode): boolean {
  return mode === 'shared' ? !s.exclusive : !s.exclusive && s.shared === 0;
}

function aborted(locks: readonly LockRequest[]): AshlarError {
  return new AshlarError('ABORTED', { details: { operation: `lock ${locks.map((l) => l.name).join(', ')}` } });
}
