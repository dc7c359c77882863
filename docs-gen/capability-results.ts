/**
 * What one conformance report says about each capability of its driver: certified, failed,
 * not tested (declared but gated off) or not declared. Reports record results per check,
 * not per capability, so a failure is attributed to a capability when it names one of that
 * capability's methods (or the capability itself) in the rule it broke; any other failure,
 * and leftovers after cleanup, fail the required interface.
 */
import { CAPABILITY_METHODS } from '../core/contract/capability-map.js';
import type { ConformanceReport } from '../core/generated/schemas.js';
import { RULES } from '../conformance/rules.js';

/** The verdict of one matrix cell. */
export type CapabilityResult = 'certified' | 'failed' | 'checks passed' | 'not tested' | 'not declared';

/** Every capability's verdict plus the required interface's. */
export interface DriverResults {
  readonly required: CapabilityResult;
  readonly capabilities: ReadonlyMap<string, CapabilityResult>;
}

/**
 * What each failed check is about: the rule it names (newer runners record its key), else
 * the first `[contract ...]` rule its message quotes (later ones only explain), else all
 * its text.
 */
function failureTexts(report: ConformanceReport): string[] {
  return report.suites.flatMap((s) =>
    s.checks
      .filter((c) => c.status === 'failed')
      .map((c) => {
        const rule = (c.failure as { rule?: string } | undefined)?.rule;
        if (rule) return `${rule}\n${(RULES as Readonly<Record<string, string>>)[rule] ?? ''}`;
        const message = c.failure?.message ?? c.message ?? '';
        const quoted = /\[contract ([^\]]*)\]/.exec(message);
        return quoted ? quoted[1]! : [s.name, c.name, message, ...(c.failure?.commands ?? [])].join('\n');
      }),
  );
}

const mentions = (text: string, word: string): boolean => new RegExp(`(^|[^A-Za-z])${word}([^A-Za-z]|$)`).test(text);

/** The verdict of every capability in `capabilities` according to `report`. */
export function capabilityResults(report: ConformanceReport, capabilities: readonly string[]): DriverResults {
  const failures = failureTexts(report);
  const gated = new Set(report.skipped.filter((s) => s.kind === 'capability').map((s) => s.name));
  const attributed = new Set<string>();
  const results = new Map<string, CapabilityResult>();
  for (const cap of capabilities) {
    if (!report.driver.capabilities.includes(cap as never)) {
      results.set(cap, 'not declared');
      continue;
    }
    const words = [cap, ...((CAPABILITY_METHODS as Record<string, readonly string[]>)[cap] ?? [])];
    const own = failures.filter((f) => words.some((w) => mentions(f, w)));
    own.forEach((f) => attributed.add(f));
    results.set(cap, own.length ? 'failed' : gated.has(cap) ? 'not tested' : report.passed ? 'certified' : 'checks passed');
  }
  const requiredFailed = failures.some((f) => !attributed.has(f)) || report.cleanup.status === 'failed' || report.interrupted;
  return { required: requiredFailed ? 'failed' : report.passed ? 'certified' : 'checks passed', capabilities: results };
}
