import type { ConformanceCheckResult, ConformanceReport } from '../../core/generated/schemas.js';
import { RULES } from '../rules.js';

/** How a contract rule fared in a run (the report's `rules`, when the runner records them). */
interface RuleCoverage {
  readonly rule: string;
  readonly status: string;
  readonly checks: readonly string[];
}

/** The report fields this page reads beyond the base schema (newer runners write them). */
type ReportWithRules = ConformanceReport & { rules?: readonly RuleCoverage[] };

/** Options of {@link renderHtml}. */
export interface HtmlReportOptions {
  /** Where the run happened (Node version, OS, ...), shown with the versions. */
  readonly environment?: Readonly<Record<string, string>>;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const ruleText = (key: string): string => (RULES as Readonly<Record<string, string>>)[key] ?? key;
const badge = (status: string): string => `<span class="st st-${esc(status)}">${esc(status)}</span>`;

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d232a;max-width:72rem;margin:0 auto;padding:1.5rem 2rem 3rem;line-height:1.5}
h1{margin-bottom:.25rem}table{border-collapse:collapse;margin:.75rem 0 1.5rem;width:100%}th,td{border:1px solid #d5d9e0;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f4f5f7}code,pre{background:#f4f5f7;border-radius:3px}pre{padding:.75rem;overflow:auto}.muted{color:#5b6470}
.st{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85em;font-weight:600;color:#fff}.st-passed{background:#1a7f37}.st-failed{background:#b42318}.st-skipped,.st-not-run{background:#6b7280}
.nowrap{white-space:nowrap}.verdict{font-size:1.1rem}.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.card{border:1px solid #d5d9e0;border-radius:6px;padding:.5rem .9rem;min-width:9rem}.card b{display:block;font-size:1.4rem}
@media print{body{max-width:none;padding:0}}`;

function verdictOf(r: ConformanceReport): string {
  return r.interrupted ? 'interrupted' : r.passed ? 'passed' : 'failed';
}

function summary(r: ConformanceReport): string {
  const checks = r.suites.flatMap((s) => s.checks);
  const count = (st: string): number => checks.filter((c) => c.status === st).length;
  const cards: [string, string][] = [
    ['checks passed', `${count('passed')}/${checks.length}`],
    ['checks failed', String(count('failed'))],
    ['skipped', String(count('skipped') + r.skipped.length)],
    ['model runs', `${r.figures.modelRuns} (${r.figures.modelSteps} steps)`],
    ['duration', secs(r.durationMs)],
    ['cleanup', `${r.cleanup.created} created, ${r.cleanup.leftovers.length} left over`],
  ];
  return `<div class="cards">${cards.map(([k, v]) => `<div class="card"><b>${esc(v)}</b>${esc(k)}</div>`).join('')}</div>`;
}

function environment(r: ConformanceReport, env: Readonly<Record<string, string>>): string {
  const rows: [string, string][] = [
    ['Driver', `${r.driver.name} ${r.driver.version} (${r.driver.spec})`],
    ['Declared capabilities', r.driver.capabilities.join(', ') || 'none'],
    ...(r.driver.transport ? [['Transport', r.driver.transport] as [string, string]] : []),
    ['Conformance runner', `${r.tool.name} ${r.tool.version}, driver contract ${r.tool.contract}`],
    ['Started', r.startedAt],
    ['Seed', String(r.options.seed)],
    ['Runs / max commands', `${r.options.runs} / ${r.options.maxCommands}`],
    ...(r.options.budgetMs !== undefined ? [['Budget', secs(r.options.budgetMs)] as [string, string]] : []),
    ...(r.options.only?.length ? [['Only suites', r.options.only.join(', ')] as [string, string]] : []),
    ...(r.options.replay ? [['Replay', r.options.replay] as [string, string]] : []),
    ...Object.entries(env),
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function checkRules(r: ReportWithRules, suite: string, check: ConformanceCheckResult): string {
  const id = `${suite}/${check.name}`;
  const keys = (r.rules ?? []).filter((c) => c.checks.includes(id)).map((c) => c.rule);
  const broken = (check.failure as { rule?: string } | undefined)?.rule;
  const all = [...new Set([...(broken ? [broken] : []), ...keys])];
  return all.length ? all.map((k) => `<div><code>${esc(k)}</code> <span class="muted">${esc(ruleText(k))}</span></div>`).join('') : '<span class="muted">—</span>';
}

function suites(r: ReportWithRules): string {
  return r.suites
    .map((s) => {
      const head = `<h3 id="suite-${esc(s.name)}">${esc(s.name)} ${badge(s.status)} <span class="muted">${secs(s.durationMs)}</span></h3>`;
      if (s.status === 'skipped' && s.checks.length === 0) return `${head}<p>Skipped: ${esc(s.reason ?? 'no reason given')}</p>`;
      const rows = s.checks
        .map((c) => `<tr><td>${esc(c.name)}</td><td>${badge(c.status)}</td><td>${c.runs ?? ''}</td><td class="nowrap">${secs(c.durationMs)}</td><td>${checkRules(r, s.name, c)}</td><td>${esc(c.message ?? '')}</td></tr>`)
        .join('');
      return `${head}<table><thead><tr><th>Check</th><th>Result</th><th>Runs</th><th>Time</th><th>Contract rule</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('\n');
}

function failures(r: ConformanceReport): string {
  const failed = r.suites.flatMap((s) => s.checks).filter((c) => c.failure);
  if (failed.length === 0) return '<p>None.</p>';
  return failed
    .map((c, i) => {
      const f = c.failure!;
      const parts = [`<h3 id="failure-${i + 1}">${esc(f.property)}</h3>`, `<p>${esc(f.message)}</p>`];
      if (f.driverError) parts.push(`<p>Driver error: <code>${esc(f.driverError.code)}</code> ${esc(f.driverError.message)}</p>`);
      if (f.seed !== undefined) parts.push(`<p>Seed ${f.seed}, counterexample path <code>${esc(f.path ?? '')}</code>${f.shrinks !== undefined ? `, shrunk ${f.shrinks} times` : ''}.</p>`);
      if (f.commands?.length) parts.push('<p>Shrunk failing sequence:</p>', `<pre>${f.commands.map((x, n) => `${n + 1}. ${esc(x)}`).join('\n')}</pre>`);
      if (f.replay) parts.push('<p>Replay exactly (same driver and config):</p>', `<pre>ashlar conformance run ${esc(r.driver.spec)} --replay '${esc(f.replay)}'</pre>`);
      return parts.join('\n');
    })
    .join('\n');
}

function skipped(r: ConformanceReport): string {
  if (r.skipped.length === 0) return '<p>Nothing was skipped.</p>';
  const rows = r.skipped.map((s) => `<tr><td>${esc(s.kind)}</td><td>${esc(s.name)}</td><td>${esc(s.reason)}</td></tr>`).join('');
  return `<table><thead><tr><th>Kind</th><th>Name</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function rulesTable(r: ReportWithRules): string {
  if (!r.rules?.length) return '';
  const rows = r.rules.map((c) => `<tr><td><code>${esc(c.rule)}</code></td><td>${esc(ruleText(c.rule))}</td><td>${badge(c.status)}</td><td>${esc(c.checks.join(', '))}</td></tr>`).join('');
  return `<h2 id="rules">Contract rules</h2><table><thead><tr><th>Rule</th><th>Text</th><th>Result</th><th>Checks</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function cleanup(r: ConformanceReport): string {
  const c = r.cleanup;
  const extra = [...c.leftovers, ...c.errors];
  return `<p>${badge(c.status)} ${c.created} volumes and snapshots created, ${c.deleted} deleted by the final sweep${c.probes?.length ? `; looked for leftovers by ${esc(c.probes.join(', '))}` : ''}.</p>${extra.length ? `<ul>${extra.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}`;
}

/**
 * The report as one self-contained HTML page (inline styles, no scripts, no external
 * resources): the page a vendor attaches to a certification claim.
 */
export function renderHtml(report: ConformanceReport, options: HtmlReportOptions = {}): string {
  const r = report as ReportWithRules;
  const verdict = verdictOf(r);
  const title = `Conformance: ${r.driver.name} ${r.driver.version} — ${verdict.toUpperCase()}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>Conformance report: <code>${esc(r.driver.name)}</code> ${esc(r.driver.version)}</h1>
<p class="verdict">${badge(verdict)} against the Ashlar driver contract ${esc(r.tool.contract)}, ${esc(r.startedAt)}</p>
${summary(r)}
<h2 id="environment">Environment and versions</h2>
${environment(r, options.environment ?? {})}
<h2 id="suites">Suites and checks</h2>
${suites(r)}
<h2 id="failures">Failures</h2>
${failures(r)}
<h2 id="skipped">Skipped capabilities and checks</h2>
${skipped(r)}
${rulesTable(r)}
<h2 id="cleanup">Cleanup</h2>
${cleanup(r)}
</body>
</html>
`;
}
