import type { Capability } from '../../core/contract/types.js';
import type { ConformanceCheckResult, ConformanceSuiteName } from '../../core/generated/schemas.js';
import { withCleanup } from '../cleanup.js';
import type { Session } from '../session.js';
import { wantsCheck } from '../config.js';
import { ConformanceViolation, driverErrorOf, ruleOf } from '../violation.js';

/** A fixed scenario: its check name, the work, and why it does not apply (undefined: it does). */
export interface Scenario {
  readonly name: string;
  readonly run: (session: Session) => Promise<void>;
  readonly skip?: (session: Session) => string | undefined;
}

/**
 * Runs one fixed scenario as a named check: the work, then cleanup and the leftover
 * check; any violation or leftover fails it with a `suite/name` failure.
 */
export async function runScenario(suite: ConformanceSuiteName, scenario: Scenario, session: Session): Promise<ConformanceCheckResult> {
  const { name } = scenario;
  if (!wantsCheck(session.config, suite, name)) return { name, status: 'skipped', durationMs: 0, message: 'not selected' };
  if (session.config.signal?.aborted) return { name, status: 'skipped', durationMs: 0, message: 'interrupted' };
  const skipped = scenario.skip?.(session);
  if (skipped !== undefined) return { name, status: 'skipped', durationMs: 0, message: skipped };
  const started = performance.now();
  try {
    const problems = await withCleanup(session, () => scenario.run(session));
    if (problems.length > 0) throw new ConformanceViolation(problems.join('; '));
    return { name, status: 'passed', durationMs: performance.now() - started };
  } catch (err) {
    if (session.config.signal?.aborted) return { name, status: 'skipped', durationMs: performance.now() - started, message: 'interrupted' };
    const message = err instanceof Error ? err.message : String(err);
    const driverError = driverErrorOf(err);
    const rule = ruleOf(err);
    return { name, status: 'failed', durationMs: performance.now() - started, message, failure: { property: `${suite}/${name}`, message, ...(rule ? { rule } : {}), ...(driverError ? { driverError } : {}) } };
  }
}

/** Skip unless every capability is declared. */
export function needs(...capabilities: readonly Capability[]): (session: Session) => string | undefined {
  return (session) => {
    const missing = capabilities.filter((c) => !session.driver.supports(c));
    return missing.length > 0 ? `capability ${missing.map((c) => `"${c}"`).join(' and ')} is not declared` : undefined;
  };
}
