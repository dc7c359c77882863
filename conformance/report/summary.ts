import type { ConformanceReport, ConformanceRuleCoverage } from '../../core/generated/schemas.js';
import { RULES, type Rule } from '../rules.js';

/** The human summary printed at the end of a run: verdict, and each failure in full. */
export function renderSummary(report: ConformanceReport): string {
  const out: string[] = [];
  const checks = report.suites.flatMap((s) => s.checks);
  const failed = checks.filter((c) => c.status === 'failed');
  for (const c of failed) {
    const f = c.failure;
    out.push('', `✗ ${f?.property ?? c.name}`, `  ${f?.message ?? c.message ?? ''}`);
    if (f?.rule) out.push(`  rule: ${f.rule} — ${RULES[f.rule as Rule] ?? ''}`);
    if (f?.driverError) out.push(`  driver error: ${f.driverError.code}: ${f.driverError.message}`);
    if (f?.seed !== undefined) out.push(`  seed: ${f.seed}   path: ${f.path ?? ''}   shrinks: ${f.shrinks ?? 0}`);
    if (f?.commands?.length) out.push('  minimal sequence:', ...f.commands.map((x, i) => `    ${i + 1}. ${x}`));
    if (f?.replay) out.push(`  replay: ashlar conformance run ${report.driver.spec} --replay '${f.replay}'`);
    else if (f?.only) out.push(`  rerun alone: ashlar conformance run ${report.driver.spec} --only '${f.only}'${report.options.seed !== undefined ? ` --seed ${report.options.seed}` : ''}`);
  }
  if (report.cleanup.status === 'failed') out.push('', '✗ cleanup', ...[...report.cleanup.leftovers, ...report.cleanup.errors].map((l) => `  ${l}`));
  if (report.rules) out.push('', ruleLine(report.rules));
  const verdict = report.interrupted ? 'INTERRUPTED' : report.passed ? 'PASSED' : 'FAILED';
  out.push(
    '',
    `${verdict}: ${report.driver.name} — ${checks.filter((c) => c.status === 'passed').length}/${checks.length} checks passed, ${checks.filter((c) => c.status === 'skipped').length + report.skipped.length} skipped, ` +
      `${report.figures.modelRuns} model runs (${report.figures.modelSteps} steps, ${report.figures.stepsPerSecond} steps/s), seed ${report.options.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return out.join('\n');
}

/** One line of rule coverage: how many contract rules were held and how they ended. */
export function ruleLine(rules: readonly ConformanceRuleCoverage[]): string {
  const count = (status: ConformanceRuleCoverage['status']): number => rules.filter((r) => r.status === status).length;
  const failed = rules.filter((r) => r.status === 'failed').map((r) => r.rule);
  return `rules: ${rules.length} contract rules — ${count('passed')} held, ${count('failed')} broken${failed.length ? ` (${failed.join(', ')})` : ''}, ${count('skipped')} skipped (capability not declared), ${count('not-run')} not run`;
}
