import { AshlarError } from '../../errors/ashlar-error.js';
import type { Coordinator, LockMode, Release } from './coordinator.js';

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
  readonly #locks = new Map<string, LockState>();

  /** Names currently held or waited for (for tests and diagnostics). */
  get activeLocks(): string[] {
    return [...this.#locks.keys()];
  }

  acquire(name: string, mode: LockMode, signal?: AbortSignal): Promise<Release> {
    let state = this.#locks.get(name);
    if (!state) {
      state = { shared: 0, exclusive: false, queue: [] };
      this.#locks.set(name, state);
    }
    const s = state;
    if (s.queue.length === 0 && this.#compatible(s, mode)) return Promise.resolve(this.#take(name, s, mode));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        mode,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#take(name, s, mode));
        },
      };
      const onAbort = (): void => {
        const i = s.queue.indexOf(waiter);
        if (i >= 0) s.queue.splice(i, 1);
        this.#drain(name, s);
        reject(new AshlarError('ABORTED', { details: { operation: `lock ${name}` } }));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      s.queue.push(waiter);
    });
  }

  async acquireAll(locks: ReadonlyArray<{ name: string; mode: LockMode }>, signal?: AbortSignal): Promise<Release> {
    const sorted = [...locks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const held: Release[] = [];
    try {
      for (const l of sorted) held.push(await this.acquire(l.name, l.mode, signal));
    } catch (err) {
      for (const r of held.reverse()) r();
      throw err;
    }
    return () => {
      for (const r of held.reverse()) r();
    };
  }

  async close(): Promise<void> {}

  #compatible(s: LockState, mode: LockMode): boolean {
    return mode === 'shared' ? !s.exclusive : !s.exclusive && s.shared === 0;
  }

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
    while (s.queue.length > 0 && this.#compatible(s, s.queue[0]!.mode)) s.queue.shift()!.grant();
    if (s.queue.length === 0 && s.shared === 0 && !s.exclusive) this.#locks.delete(name);
  }
}
