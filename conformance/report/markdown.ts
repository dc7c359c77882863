import type { ConformanceReport } from '../../core/generated/schemas.js';
import { modelRunsText, rerunCommand, ruleLine, type SummaryOptions } from './summary.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const icon = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;

/** A Markdown summary for a pull request or a job summary page. */
export function renderMarkdown(report: ConformanceReport, options: SummaryOptions = {}): string {
  const out: string[] = [];
  const verdict = report.interrupted ? 'INTERRUPTED' : report.passed ? 'PASSED' : 'FAILED';
  out.push(`# Conformance: ${report.driver.name} ${report.driver.version} — ${verdict}`, '');
  out.push(`- driver: \`${report.driver.spec}\` (capabilities: ${report.driver.capabilities.join(', ') || 'none'})`);
  out.push(`- seed ${report.options.seed}, ${report.options.runs} runs, up to ${report.options.maxCommands} commands per run`);
  out.push(`- ${modelRunsText(report)}, ${report.figures.modelSteps} steps (${report.figures.stepsPerSecond} steps/s), ${(report.durationMs / 1000).toFixed(1)} s in all`, '');
  out.push('| suite | check | result | runs | time |', '|---|---|---|---|---|');
  for (const suite of report.suites) {
    if (suite.status === 'skipped') out.push(`| ${suite.name} | — | ${icon.skipped} ${cell(suite.reason ?? '')} | | |`);
    for (const c of suite.checks) out.push(`| ${suite.name} | ${cell(c.name)} | ${icon[c.status]} | ${c.runs ?? ''} | ${(c.durationMs / 1000).toFixed(2)} s |`);
  }
  out.push(`| cleanup | no leftovers | ${icon[report.cleanup.status]} | | |`, '');
  const failures = report.suites.flatMap((s) => s.checks).filter((c) => c.failure);
  if (failures.length > 0) {
    out.push('## Failures', '');
    for (const c of failures) {
      const f = c.failure!;
      out.push(`### ${f.property}`, '', f.message, '');
      if (f.rule) out.push(`Rule \`${f.rule}\`.`, '');
      if (f.driverError) out.push(`Driver error: \`${f.driverError.code}\`: ${f.driverError.message}`, '');
      if (f.seed !== undefined) out.push(`Seed ${f.seed}, path \`${f.path ?? ''}\`${f.shrinks !== undefined ? `, shrunk ${f.shrinks} times` : ''}.`, '');
      if (f.commands?.length) out.push('Minimal sequence:', '', '```', ...f.commands, '```', '');
      if (f.replay) out.push(`Reproduce: \`${rerunCommand(report, options, '--replay', f.replay)}\``, '');
      else if (f.only) out.push(`Rerun alone: \`ashlar conformance run ${report.driver.spec} --only '${f.only}' --seed ${report.options.seed}\``, '');
    }
  }
  if (report.cleanup.leftovers.length + report.cleanup.errors.length > 0) {
    out.push('## Leftovers', '', ...[...report.cleanup.leftovers, ...report.cleanup.errors].map((l) => `- ${l}`), '');
  }
  if (report.rules) {
    out.push('## Rule coverage', '', ruleLine(report.rules), '', '| rule | result | checks |', '|---|---|---|');
    for (const r of report.rules) out.push(`| \`${r.rule}\` | ${r.status} | ${cell(r.checks.join(', ') || '—')} |`);
    out.push('');
  }
  if (report.skipped.length > 0) {
    out.push('## Skipped', '', ...report.skipped.map((s) => `- ${s.kind} **${s.name}**: ${s.reason}`), '');
  }
  return out.join('\n');
}
