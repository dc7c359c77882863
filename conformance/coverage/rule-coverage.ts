import type { ConformanceRuleCoverage, ConformanceSuiteResult } from '../../core/generated/schemas.js';
import { RULES, type Rule } from '../rules.js';
import { citedRule } from '../violation.js';
import { CHECK_RULES, rulesOfCheck } from './check-rules.js';

/**
 * Completes a suite's failures: the rule broken (the check's own when it holds a driver to
 * one rule only and the message cites none) and the `--only` selection that reruns just it.
 */
export function annotateFailures(suite: ConformanceSuiteResult): void {
  for (const check of suite.checks) {
    const failure = check.failure;
    if (!failure) continue;
    const property = `${suite.name}/${check.name}`;
    const own = rulesOfCheck(property);
    const rule = failure.rule ?? citedRule(failure.message) ?? (own.length === 1 ? own[0] : undefined);
    Object.assign(failure, { ...(rule ? { rule } : {}), only: property });
  }
}

/**
 * Every rule with the checks that hold a driver to it and how they ended in this run: failed
 * when a check failed on that rule (or on no named rule), passed when one of its checks
 * passed, skipped when all that ran were skipped, not-run otherwise (none ran, or they
 * failed on other rules first).
 */
export function ruleCoverage(suites: readonly ConformanceSuiteResult[]): ConformanceRuleCoverage[] {
  const results = new Map<string, ConformanceSuiteResult['checks'][number]>();
  for (const s of suites) for (const c of s.checks) results.set(`${s.name}/${c.name}`, c);
  return (Object.keys(RULES) as Rule[]).map((rule) => {
    const checks = Object.entries(CHECK_RULES).filter(([, rules]) => rules.includes(rule)).map(([name]) => name);
    const ran = checks.map((c) => results.get(c)).filter((c) => c !== undefined);
    const failed = ran.some((c) => c.status === 'failed' && (c.failure?.rule === undefined || c.failure.rule === rule));
    // A check that failed on another rule stopped before it could vouch for this one.
    const status = failed ? 'failed' : ran.some((c) => c.status === 'passed') ? 'passed' : ran.length > 0 && ran.every((c) => c.status === 'skipped') ? 'skipped' : 'not-run';
    return { rule, status, checks };
  });
}
