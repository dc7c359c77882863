import fc from 'fast-check';
import type { ConformanceCheckResult, ConformanceSuiteName } from '../core/generated/schemas.js';
import { wantsCheck, type ConformanceConfig } from './config.js';
import { formatReplay, type ReplayToken } from './replay.js';
import { driverErrorOf, ruleOf } from './violation.js';

/** Shrinking may take at least this long after the first failure, or twice that failing run. */
const SHRINK_BUDGET_MS = 60_000;

/**
 * Bounds shrinking: a driver whose failures are slow (retries, back-offs) would otherwise
 * make fast-check replay slow sequences for a very long time. Once the budget after the
 * first failure is spent, every later run is skipped (fc.pre), which ends shrinking with
 * the smallest counterexample found so far.
 */
export class ShrinkGuard {
  #failedAt: number | undefined;
  #budgetMs = SHRINK_BUDGET_MS;
  #cut = false;
  readonly #signal: AbortSignal | undefined;

  /** `signal`: once aborted (Ctrl-C), every later run is skipped, so nothing is shrunk. */
  constructor(signal?: AbortSignal) {
    this.#signal = signal;
  }

  /** True when shrinking was cut short. */
  get cut(): boolean {
    return this.#cut;
  }

  /** Wraps a property's predicate. */
  wrap<A extends unknown[]>(predicate: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      // An interruption is not a counterexample: skipping instead of failing keeps
      // fast-check from shrinking towards a "minimal" interruption.
      if (this.#signal?.aborted) fc.pre(false);
      if (this.#failedAt !== undefined && performance.now() - this.#failedAt > this.#budgetMs) {
        this.#cut = true;
        fc.pre(false);
      }
      const started = performance.now();
      try {
        await predicate(...args);
      } catch (err) {
        if (this.#failedAt === undefined) {
          this.#failedAt = performance.now();
          this.#budgetMs = Math.max(SHRINK_BUDGET_MS, 2 * (this.#failedAt - started));
        }
        throw err;
      }
    };
  }
}

/** How to run one property. */
export interface PropertyRun {
  /** `suite.check`, as in replay tokens and reports. */
  readonly id: string;
  /** Name shown in reports. */
  readonly name: string;
  /** Builds the property (its predicate wrapped by `guard`); model properties pass `replayPath` to `fc.commands`. */
  readonly build: (replayPath: string | undefined, guard: ShrinkGuard) => fc.IAsyncPropertyWithHooks<unknown[]> | fc.IAsyncProperty<unknown[]>;
  readonly numRuns: number;
  readonly seed: number;
  readonly maxCommands: number;
  /** Rerun exactly this counterexample (its `property` must equal `id`). */
  readonly replay?: ReplayToken | undefined;
  readonly budgetMs?: number | undefined;
  /** When aborted, the property stops (each run checks it first). */
  readonly signal?: AbortSignal | undefined;
  /** The run's `only`/`checks` selection: a property it does not select does not run. */
  readonly selection?: Pick<ConformanceConfig, 'only' | 'checks'> | undefined;
}

/**
 * Runs a property with fast-check and turns the outcome into a report entry: on failure,
 * the shrunk command sequence, the seed, the counterexample path, a replay token and the
 * driver's error.
 */
export async function runProperty(p: PropertyRun): Promise<ConformanceCheckResult> {
  const started = performance.now();
  const suite = p.id.split('.')[0] as ConformanceSuiteName;
  if (p.selection && !p.replay && !wantsCheck(p.selection, suite, p.name)) return { name: p.name, status: 'skipped', durationMs: 0, message: 'not selected' };
  if (p.signal?.aborted) return { name: p.name, status: 'skipped', durationMs: 0, runs: 0, message: 'interrupted' };
  if (p.budgetMs !== undefined && p.budgetMs <= 1 && !p.replay) {
    return { name: p.name, status: 'skipped', durationMs: 0, runs: 0, message: 'the time budget was used up before it started' };
  }
  const replay = p.replay?.property === p.id ? p.replay : undefined;
  const params: fc.Parameters<unknown[]> = replay
    ? { seed: replay.seed, path: replay.path, endOnFailure: true, numRuns: 1 }
    : {
        seed: p.seed,
        numRuns: p.numRuns,
        // Skips the runs after the limit but never abandons one in flight (an abandoned run
        // would keep creating volumes behind the next check's back).
        ...(p.budgetMs !== undefined ? { skipAllAfterTimeLimit: p.budgetMs } : {}),
      };
  const guard = new ShrinkGuard(p.signal);
  const details = await fc.check(p.build(replay?.replayPath, guard), params);
  const durationMs = performance.now() - started;
  // Runs skipped by the time budget make fast-check report a failure with no counterexample.
  const stoppedByBudget = details.failed && details.counterexample === null && details.numSkips > 0;
  const interrupted = p.signal?.aborted === true && (details.counterexample === null || isInterruption(details.errorInstance));
  if (interrupted) return { name: p.name, status: 'skipped', durationMs, runs: details.numRuns, message: `interrupted after ${details.numRuns} runs` };
  if (!details.failed || stoppedByBudget) {
    const message = details.numSkips > 0 || details.interrupted ? `stopped by the time budget after ${details.numRuns} runs` : undefined;
    return { name: p.name, status: 'passed', durationMs, runs: details.numRuns, ...(message ? { message } : {}) };
  }
  const example = details.counterexample?.[0];
  const commands = commandList(details.counterexample ?? []);
  const replayPath = /\/\*replayPath="([^"]*)"\*\//.exec(String(example))?.[1];
  const token: ReplayToken = { property: p.id, seed: details.seed, path: details.counterexamplePath ?? '', maxCommands: p.maxCommands, replayPath };
  const error = details.errorInstance;
  const driverError = driverErrorOf(error);
  const rule = ruleOf(error);
  const cut = guard.cut ? ' (shrinking stopped at its time limit: the sequence may not be minimal)' : '';
  const message = `${error instanceof Error ? error.message : String(error)}${cut}`;
  return {
    name: p.name,
    status: 'failed',
    durationMs,
    runs: details.numRuns,
    message,
    failure: {
      property: `${suite}/${p.name}`,
      message,
      ...(rule ? { rule } : {}),
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      replay: formatReplay(token),
      commands,
      shrinks: details.numShrinks,
      ...(driverError ? { driverError } : {}),
    },
  };
}

/** The commands of a model counterexample that actually ran, or the generated values of other properties. */
function commandList(counterexample: readonly unknown[]): string[] {
  const first = counterexample[0];
  if (typeof first === 'object' && first !== null && 'metadataForReplay' in first && Symbol.iterator in first) {
    const ran = [...(first as Iterable<{ hasRan?: boolean; toString(): string }>)].filter((c) => c.hasRan !== false);
    return ran.map((c) => c.toString());
  }
  return counterexample.map((v) => fc.stringify(v));
}

/** The error every predicate throws when it finds the run interrupted. */
function isInterruption(err: unknown): boolean {
  return err instanceof Error && err.message === 'interrupted';
}
