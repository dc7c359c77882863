import type { ConformanceReport } from '../../core/generated/schemas.js';

/** The human summary printed at the end of a run: verdict, and each failure in full. */
export function renderSummary(report: ConformanceReport): string {
  const out: string[] = [];
  const checks = report.suites.flatMap((s) => s.checks);
  const failed = checks.filter((c) => c.status === 'failed');
  for (const c of failed) {
    const f = c.failure;
    out.push('', `✗ ${f?.property ?? c.name}`, `  ${f?.message ?? c.message ?? ''}`);
    if (f?.driverError) out.push(`  driver error: ${f.driverError.code}: ${f.driverError.message}`);
    if (f?.seed !== undefined) out.push(`  seed: ${f.seed}   path: ${f.path ?? ''}   shrinks: ${f.shrinks ?? 0}`);
    if (f?.commands?.length) out.push('  minimal sequence:', ...f.commands.map((x, i) => `    ${i + 1}. ${x}`));
    if (f?.replay) out.push(`  replay: ashlar conformance run ${report.driver.spec} --replay '${f.replay}'`);
  }
  if (report.cleanup.status === 'failed') out.push('', '✗ cleanup', ...[...report.cleanup.leftovers, ...report.cleanup.errors].map((l) => `  ${l}`));
  const verdict = report.interrupted ? 'INTERRUPTED' : report.passed ? 'PASSED' : 'FAILED';
  out.push(
    '',
    `${verdict}: ${report.driver.name} — ${checks.filter((c) => c.status === 'passed').length}/${checks.length} checks passed, ${checks.filter((c) => c.status === 'skipped').length + report.skipped.length} skipped, ` +
      `${report.figures.modelRuns} model runs (${report.figures.modelSteps} steps, ${report.figures.stepsPerSecond} steps/s), seed ${report.options.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return out.join('\n');
}
