import { sharedSlowness, type SlownessSource } from './slowness.js';

/**
 * A time limit counted in idle-machine time, with a name, so that a slow machine gets
 * proportionally more wall time and an expiry says which limit ran out.
 *
 * @since 0.1.0
 */
export interface BudgetSpec {
  /** Names the limit in failures, e.g. `lvm conformance run (thick)`. */
  readonly name: string;
  /** The limit, in milliseconds an idle machine would need at most. */
  readonly ms: number;
  /** What was being waited for, for the failure message. */
  readonly waitingFor: string;
  /**
   * Also fail when no {@link BudgetWatch.progress} call came for this long (idle-machine
   * ms): a run that still makes progress is never stopped by this one.
   */
  readonly idleMs?: number | undefined;
}

/** Raised (or handed to `onExpire`) when a {@link BudgetSpec} ran out; the message names it. */
export class BudgetExpiredError extends Error {
  override readonly name = 'BudgetExpiredError';
  /** Which limit: `total` (the budget's `ms`) or `idle` (its `idleMs`). */
  readonly which: 'total' | 'idle';
  readonly budget: BudgetSpec;
  /** Wall-clock milliseconds from the start to the expiry. */
  readonly wallMs: number;

  constructor(budget: BudgetSpec, which: 'total' | 'idle', wallMs: number, usedMs: number) {
    const limit = which === 'total' ? `its ${budget.ms} ms` : `${budget.idleMs} ms without progress`;
    super(
      `budget "${budget.name}" ran out (${limit} of idle-machine time; ${Math.round(wallMs)} ms wall in all, ` +
        `mean slowness ${(wallMs / Math.max(1, usedMs)).toFixed(1)}) while waiting for ${budget.waitingFor}`,
    );
    this.which = which;
    this.budget = budget;
    this.wallMs = wallMs;
  }
}

/** A running {@link BudgetSpec}; see {@link watchBudget}. */
export interface BudgetWatch {
  /** Records progress: restarts the idle limit. */
  progress(): void;
  /** Stops watching (no expiry after this). */
  stop(): void;
  /** Idle-machine milliseconds used so far. */
  usedMs(): number;
}

/**
 * The accounting of a {@link BudgetSpec}, without timers: wall time is fed in with the
 * slowness factor that held during it, so the rule is testable step by step.
 */
export class BudgetMeter {
  readonly #spec: BudgetSpec;
  #used = 0;
  #idle = 0;
  #wall = 0;

  constructor(spec: BudgetSpec) {
    this.#spec = spec;
  }

  /** Records progress: restarts the idle limit. */
  progress(): void {
    this.#idle = 0;
  }

  /** Counts `wallMs` that passed at slowness `factor`; returns the error once a limit is passed. */
  elapse(wallMs: number, factor: number): BudgetExpiredError | undefined {
    const step = wallMs / Math.max(1, factor);
    this.#wall += wallMs;
    this.#used += step;
    this.#idle += step;
    const which = this.#used > this.#spec.ms ? 'total' : this.#spec.idleMs !== undefined && this.#idle > this.#spec.idleMs ? 'idle' : undefined;
    return which && new BudgetExpiredError(this.#spec, which, this.#wall, this.#used);
  }

  /** Idle-machine milliseconds used so far. */
  usedMs(): number {
    return this.#used;
  }
}

/**
 * Starts a budget that consumes wall time divided by the machine's current slowness
 * factor, re-read every `tickMs`, and calls `onExpire` once when it runs out. A machine
 * under load 10 on 2 cores thus gets about five times the wall time of an idle one, and a
 * hang is still reported.
 */
export function watchBudget(
  spec: BudgetSpec,
  onExpire: (err: BudgetExpiredError) => void,
  options: { gauge?: SlownessSource; tickMs?: number } = {},
): BudgetWatch {
  const gauge = options.gauge ?? sharedSlowness;
  const meter = new BudgetMeter(spec);
  let last = performance.now();
  const tick = (): void => {
    const now = performance.now();
    const expired = meter.elapse(now - last, gauge.factor());
    last = now;
    if (expired) {
      clearInterval(timer);
      onExpire(expired);
    }
  };
  const timer = setInterval(tick, options.tickMs ?? 1000);
  timer.unref();
  return { progress: () => meter.progress(), stop: () => clearInterval(timer), usedMs: () => meter.usedMs() };
}

/** `ms` scaled by the current slowness factor, for limits that are set once (a timer). */
export function scaledMs(ms: number, gauge: SlownessSource = sharedSlowness): number {
  return Math.ceil(ms * gauge.factor());
}
