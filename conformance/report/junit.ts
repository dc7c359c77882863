import type { ConformanceReport } from '../../core/generated/schemas.js';

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * JUnit XML for CI: one testsuite per conformance suite, one testcase per check; a failure
 * carries the seed, replay token and shrunk sequence; skipped suites and commands are
 * `<skipped>` cases, and cleanup is a testcase of its own.
 */
export function renderJunit(report: ConformanceReport): string {
  const lines: string[] = [];
  let tests = 0;
  let failures = 0;
  let skippedCount = 0;
  const body: string[] = [];
  for (const suite of report.suites) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const check of suite.checks) {
      const attrs = `classname="${xmlEscape(`${report.driver.name}.${suite.name}`)}" name="${xmlEscape(check.name)}" time="${seconds(check.durationMs)}"`;
      if (check.status === 'failed') {
        suiteFailures++;
        const f = check.failure;
        const detail = [
          f?.message ?? check.message ?? '',
          f?.seed !== undefined ? `seed: ${f.seed}` : '',
          f?.replay ? `replay: --replay '${f.replay}'` : '',
          f?.driverError ? `driver error: ${f.driverError.code}: ${f.driverError.message}` : '',
          f?.commands?.length ? `shrunk sequence:\n  ${f.commands.join('\n  ')}` : '',
        ].filter(Boolean).join('\n');
        cases.push(`    <testcase ${attrs}>\n      <failure message="${xmlEscape(check.message ?? 'failed')}" type="${xmlEscape(f?.driverError?.code ?? 'ConformanceViolation')}">${xmlEscape(detail)}</failure>\n    </testcase>`);
      } else if (check.status === 'skipped') {
        cases.push(`    <testcase ${attrs}><skipped/></testcase>`);
      } else {
        cases.push(`    <testcase ${attrs}/>`);
      }
    }
    if (suite.status === 'skipped') cases.push(`    <testcase classname="${xmlEscape(`${report.driver.name}.${suite.name}`)}" name="suite" time="0"><skipped message="${xmlEscape(suite.reason ?? '')}"/></testcase>`);
    const skips = suite.status === 'skipped' ? 1 : suite.checks.filter((c) => c.status === 'skipped').length;
    tests += cases.length;
    failures += suiteFailures;
    skippedCount += skips;
    body.push(`  <testsuite name="${xmlEscape(suite.name)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${skips}" time="${seconds(suite.durationMs)}">`, ...cases, '  </testsuite>');
  }
  const gated = report.skipped.filter((s) => s.kind !== 'suite');
  if (gated.length > 0) {
    body.push(`  <testsuite name="capability-gating" tests="${gated.length}" failures="0" errors="0" skipped="${gated.length}" time="0">`);
    for (const s of gated) body.push(`    <testcase classname="${xmlEscape(`${report.driver.name}.gating`)}" name="${xmlEscape(`${s.kind} ${s.name}`)}" time="0"><skipped message="${xmlEscape(s.reason)}"/></testcase>`);
    body.push('  </testsuite>');
    tests += gated.length;
    skippedCount += gated.length;
  }
  const c = report.cleanup;
  const cleanupFailed = c.status === 'failed';
  tests++;
  if (cleanupFailed) failures++;
  body.push(`  <testsuite name="cleanup" tests="1" failures="${cleanupFailed ? 1 : 0}" errors="0" skipped="0" time="0">`);
  body.push(
    cleanupFailed
      ? `    <testcase classname="${xmlEscape(`${report.driver.name}.cleanup`)}" name="no leftovers" time="0">\n      <failure message="leftovers">${xmlEscape([...c.leftovers, ...c.errors].join('\n'))}</failure>\n    </testcase>`
      : `    <testcase classname="${xmlEscape(`${report.driver.name}.cleanup`)}" name="no leftovers" time="0"/>`,
  );
  body.push('  </testsuite>');
  lines.push('<?xml version="1.0" encoding="UTF-8"?>');
  lines.push(`<testsuites name="${xmlEscape(`ashlar conformance: ${report.driver.name} ${report.driver.version}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skippedCount}" time="${seconds(report.durationMs)}">`);
  lines.push(...body, '</testsuites>', '');
  return lines.join('\n');
}
