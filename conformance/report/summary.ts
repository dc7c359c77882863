import type { ConformanceReport, ConformanceRuleCoverage } from '../../core/generated/schemas.js';
import { RULES, type Rule } from '../rules.js';

/** Options of {@link renderSummary} and the other human renderings. */
export interface SummaryOptions {
  /**
   * Arguments the run was given that a rerun needs too (`--config file.json`): printed in
   * the replay and rerun commands, so a failure found with a config file is not replayed
   * on the default temporary directory (where it may pass).
   */
  readonly rerunArgs?: readonly string[];
}

/** A word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The command that reruns the driver with `extra` and the run's own arguments. */
export function rerunCommand(report: ConformanceReport, options: SummaryOptions, ...extra: string[]): string {
  return ['ashlar', 'conformance', 'run', report.driver.spec, ...(options.rerunArgs ?? []), ...extra].map(shellWord).join(' ');
}

/**
 * The model runs as asked for and, apart, the runs fast-check made while shrinking a
 * failure: `--runs 30` reads "30 model runs (+3 while shrinking)", not "33 model runs".
 */
export function modelRunsText(report: ConformanceReport): string {
  const model = report.suites.find((s) => s.name === 'lifecycle')?.checks.find((c) => c.name === 'model');
  const asked = Math.min(model?.runs ?? report.figures.modelRuns, report.figures.modelRuns);
  const shrinking = report.figures.modelRuns - asked;
  return `${asked} model runs${shrinking > 0 ? ` (+${shrinking} while shrinking)` : ''}`;
}

/** Every skipped suite, check and command, with its reason. */
export function skippedLines(report: ConformanceReport): string[] {
  const out: string[] = [];
  for (const suite of report.suites) {
    if (suite.status === 'skipped' && suite.checks.length === 0) out.push(`${suite.name}: ${suite.reason ?? 'skipped'}`);
    for (const c of suite.checks) if (c.status === 'skipped') out.push(`${suite.name}/${c.name}: ${c.message ?? 'skipped'}`);
  }
  for (const s of report.skipped) out.push(`${s.kind} ${s.name}: ${s.reason}`);
  return out;
}

/** The human summary printed at the end of a run: verdict, and each failure in full. */
export function renderSummary(report: ConformanceReport, options: SummaryOptions = {}): string {
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
    if (f?.replay) out.push(`  replay: ${rerunCommand(report, options, '--replay', f.replay)}`);
    else if (f?.only) out.push(`  rerun alone: ${rerunCommand(report, options, '--only', f.only, ...(report.options.seed !== undefined ? ['--seed', String(report.options.seed)] : []))}`);
  }
  if (report.cleanup.status === 'failed') out.push('', '✗ cleanup', ...[...report.cleanup.leftovers, ...report.cleanup.errors].map((l) => `  ${l}`));
  const skipped = skippedLines(report);
  if (skipped.length > 0) out.push('', 'skipped:', ...skipped.map((l) => `  - ${l}`));
  if (report.rules) out.push('', ruleLine(report.rules));
  const verdict = report.interrupted ? 'INTERRUPTED' : report.passed ? 'PASSED' : 'FAILED';
  out.push(
    '',
    `${verdict}: ${report.driver.name} — ${checks.filter((c) => c.status === 'passed').length}/${checks.length} checks passed, ${skipped.length} skipped, ` +
      `${modelRunsText(report)} (${report.figures.modelSteps} steps, ${report.figures.stepsPerSecond} steps/s), seed ${report.options.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return out.join('\n');
}

/** One line of rule coverage: how many contract rules were held and how they ended. */
export function ruleLine(rules: readonly ConformanceRuleCoverage[]): string {
  const count = (status: ConformanceRuleCoverage['status']): number => rules.filter((r) => r.status === status).length;
  const failed = rules.filter((r) => r.status === 'failed').map((r) => r.rule);
  return `rules: ${rules.length} contract rules — ${count('passed')} held, ${count('failed')} broken${failed.length ? ` (${failed.join(', ')})` : ''}, ${count('skipped')} skipped (capability not declared), ${count('not-run')} not run`;
}
