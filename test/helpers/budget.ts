import type { Context, Suite } from 'mocha';
import { BudgetExpiredError, scaledMs, watchBudget, type BudgetSpec } from '../../core/executor/budget.js';

export { scaledMs, type BudgetSpec };

/**
 * Sets a mocha timeout of `baseMs` scaled by the machine's slowness now. It is the
 * backstop only: the named budgets inside (executor limits, {@link withinBudget},
 * {@link runChild}) are meant to fail first, and say which limit ran out.
 */
export function backstop(ctx: Context | Suite, baseMs: number): void {
  ctx.timeout(scaledMs(baseMs));
}

/**
 * Runs `work` under a named budget counted in idle-machine time (see `watchBudget`):
 * rejects with a {@link BudgetExpiredError} naming the budget, its value and what was
 * being waited for when it runs out first. `work` receives a `progress` callback that
 * restarts the budget's idle limit, if it has one.
 */
export async function withinBudget<T>(spec: BudgetSpec, work: (progress: () => void) => Promise<T>): Promise<T> {
  let watch: { progress(): void; stop(): void } | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    watch = watchBudget(spec, reject);
  });
  try {
    return await Promise.race([work(() => watch?.progress()), expired]);
  } finally {
    watch?.stop();
  }
}

/** Waits until `probe` returns a value other than undefined, polling under a named budget. */
export async function eventually<T>(spec: BudgetSpec, probe: () => Promise<T | undefined> | T | undefined, everyMs = 25): Promise<T> {
  return withinBudget(spec, async () => {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  });
}

export { BudgetExpiredError };
