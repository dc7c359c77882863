import type { ConformanceCheckResult, ConformanceSkip, ConformanceSuiteName } from '../../core/generated/schemas.js';
import type { ConformanceConfig } from '../config.js';
import type { ReplayToken } from '../replay.js';
import type { Session } from '../session.js';

/** What every suite receives. */
export interface SuiteContext {
  readonly session: Session;
  /** Set when replaying: only the property it names runs. */
  readonly replay: ReplayToken | undefined;
  /** Counts model runs and steps for the figures. */
  readonly figures: { modelRuns: number; modelSteps: number; modelMs: number };
  /** Progress lines for humans. */
  readonly progress: (line: string) => void;
  /** What is left of the run's time budget (ms), read when a property starts; undefined = none. */
  readonly budgetMs: number | undefined;
}

/** What a suite hands back. */
export interface SuiteOutcome {
  readonly checks: ConformanceCheckResult[];
  readonly skipped: ConformanceSkip[];
  /** Set when the whole suite does not apply to this driver. */
  readonly skipReason?: string;
}

/** A suite: a name and a function. */
export interface Suite {
  readonly name: ConformanceSuiteName;
  run(ctx: SuiteContext): Promise<SuiteOutcome>;
}

/** The settings every property of a suite runs with: the session's seed, sizes and signal, the replay token and the time left. */
export function propertySettings(ctx: SuiteContext): { seed: number; maxCommands: number; replay: ReplayToken | undefined; budgetMs: number | undefined; signal: AbortSignal | undefined; selection: Pick<ConformanceConfig, 'only' | 'checks'> } {
  const { config } = ctx.session;
  return { seed: config.seed, maxCommands: config.maxCommands, replay: ctx.replay, budgetMs: ctx.budgetMs, signal: config.signal, selection: config };
}
