import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { ConformanceReport, ConformanceSuiteName } from '../../../core/generated/schemas.js';
import { createLogger } from '../../../core/logging.js';
import { SUITE_NAMES } from '../../../conformance/config.js';
import { CHECK_RULES } from '../../../conformance/coverage/check-rules.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import { AshlarCommand, EXIT } from '../../base-command.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), once its report is written. */
const EXIT_INTERRUPTED = 130;

/**
 * Splits `--only` values into suites and `suite/check` names.
 *
 * @throws INVALID_ARGUMENT for a value that names neither a suite nor a known check.
 */
export function splitOnly(values: readonly string[] | undefined): { suites: ConformanceSuiteName[] | undefined; checks: string[] | undefined } {
  if (values === undefined) return { suites: undefined, checks: undefined };
  const suites = values.filter((v): v is ConformanceSuiteName => (SUITE_NAMES as readonly string[]).includes(v));
  const checks = values.filter((v) => !(SUITE_NAMES as readonly string[]).includes(v));
  const unknown = checks.filter((c) => !(c in CHECK_RULES));
  if (unknown.length > 0) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `--only ${unknown.map((u) => JSON.stringify(u)).join(', ')}: not a suite (${SUITE_NAMES.join(', ')}) nor a check (one of: ${Object.keys(CHECK_RULES).join('; ')})`, field: 'only' } });
  }
  return { suites: suites.length > 0 ? suites : undefined, checks: checks.length > 0 ? checks : undefined };
}

/** `ashlar conformance run <driver>`: certify a driver against its backend. */
export default class ConformanceRun extends AshlarCommand {
  static override summary = 'Run the conformance suites against a driver and its backend.';
  static override description =
    'Static checks, a model-based lifecycle property (random operation sequences checked against an in-memory model), negative and idempotency checks, and a clone/delete race. Everything the run creates is deleted at the end and leftovers fail the run. Exit code 0 only when everything the driver declares passed; 1 when a check failed. Without --config, a driver whose only required option is `directory` (file) runs on a fresh temporary directory.';
  static override examples = [
    '<%= config.bin %> conformance run file',
    '<%= config.bin %> conformance run ./my-driver/index.ts --config backend.json --runs 300 --report-junit conformance.xml',
    "<%= config.bin %> conformance run file --replay 'lifecycle.model~12345~3:1:0~20~CBA:B'",
  ];
  static override args = {
    driver: Args.string({ required: true, description: 'Built-in name, path to a plugin module, or package name.' }),
  };
  static override flags = {
    config: Flags.string({ description: 'JSON file: {"config": {driver section}, "transport"?: {"kind": "local"} | {"kind": "lvm-host", "host": "host.json"}, "connector"?: {...}, "replication"?: {"targetId", "sync": [argv], "primaryDown"?, "primaryUp"?, "afterFailover"?}}.' }),
    seed: Flags.integer({ description: 'Seed of every property (default: random, printed).' }),
    runs: Flags.integer({ description: 'Model runs of the lifecycle property; the others scale from it.', default: 100, min: 1 }),
    'max-commands': Flags.integer({ description: 'Longest operation sequence of one model run.', default: 40, min: 1 }),
    budget: Flags.string({ description: 'Stop starting new property runs after this long (e.g. 45s, 2m).' }),
    'call-timeout': Flags.string({ description: 'Time limit of each driver call (e.g. 30s, 5m); a call past it fails with TIMEOUT.', default: '2m' }),
    only: Flags.string({ multiple: true, description: `Run only this suite (${SUITE_NAMES.join(', ')}) or this check, named \`suite/check\` as a failure prints it (repeatable).` }),
    'report-json': Flags.string({ description: 'Write the JSON report (conformance-report.schema.json) here.' }),
    'report-junit': Flags.string({ description: 'Write a JUnit XML report here.' }),
    'report-md': Flags.string({ description: 'Write a Markdown summary here.' }),
    'report-html': Flags.string({ description: 'Write a self-contained HTML report here (the page to attach to a certification claim).' }),
    replay: Flags.string({ description: 'Rerun exactly one failing counterexample: the token a failed run printed.' }),
  };

  async run(): Promise<ConformanceReport> {
    const { args, flags } = await this.parse(ConformanceRun);
    // Loaded here so that other commands (serve) never load the runner, fast-check and the plugins.
    const [{ loadDriverPlugin }, { CLI_TRANSPORTS }, { parseDuration }, { renderJson }, { renderJunit }, { renderMarkdown }, { renderSummary }, { prepareTarget }, { runConformance }] = await Promise.all([
      import('../../builtin-drivers.js'),
      import('../../transports.js'),
      import('../../../conformance/duration.js'),
      import('../../../conformance/report/json.js'),
      import('../../../conformance/report/junit.js'),
      import('../../../conformance/report/markdown.js'),
      import('../../../conformance/report/summary.js'),
      import('../../../conformance/run-file.js'),
      import('../../../conformance/runner.js'),
    ]);
    const selection = splitOnly(flags.only);
    const plugin = await loadDriverPlugin(args.driver);
    const target = await prepareTarget(plugin, flags.config, CLI_TRANSPORTS);
    const abort = new AbortController();
    let interrupts = 0;
    // Held until the report is written: a second Ctrl-C must not kill the cleanup (Node's
    // default would exit 130 with no report and the temporary directory left behind).
    const onSigint = (): void => {
      interrupts++;
      if (interrupts === 1) process.stderr.write('\ninterrupted: stopping, cleaning up what the run created, then writing the report…\n');
      else if (interrupts === 2) process.stderr.write('\nstill cleaning up; press Ctrl-C once more to quit without cleanup or report\n');
      else {
        target.releaseSync();
        process.exit(130);
      }
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    let report: ConformanceReport;
    try {
      report = await runConformance({
        plugin,
        driverConfig: target.driverConfig,
        transport: target.transport,
        connector: target.connector,
        replication: target.replication,
        watchDirectories: target.watchDirectories,
        seed: flags.seed,
        runs: flags.runs,
        maxCommands: flags['max-commands'],
        budgetMs: flags.budget !== undefined ? parseDuration(flags.budget) : undefined,
        callTimeoutMs: parseDuration(flags['call-timeout']),
        only: selection.suites,
        checks: selection.checks,
        replay: flags.replay,
        signal: abort.signal,
        progress: (line) => process.stderr.write(`${line}\n`),
        logger: createLogger({ level: flags['log-level'] }),
      });
    } finally {
      await target.release();
    }
    // What a replay needs besides the token: the same backend (config) and call limit.
    const rerunArgs = [...(flags.config !== undefined ? ['--config', flags.config] : []), ...(flags['call-timeout'] !== '2m' ? ['--call-timeout', flags['call-timeout']] : [])];
    try {
      const json = renderJson(report);
      if (flags['report-json']) await writeFile(flags['report-json'], json);
      if (flags['report-junit']) await writeFile(flags['report-junit'], renderJunit(report));
      if (flags['report-md']) await writeFile(flags['report-md'], renderMarkdown(report, { rerunArgs }));
      if (flags['report-html']) {
        const { renderHtml } = await import('../../../conformance/report/html.js');
        await writeFile(flags['report-html'], renderHtml(report, { environment: { Node: process.version, OS: `${process.platform} ${process.arch}` } }));
      }
      // With --json, oclif prints the returned report on stdout.
      if (!this.jsonEnabled()) process.stderr.write(`${renderSummary(report, { rerunArgs })}\n`);
    } finally {
      process.off('SIGINT', onSigint);
    }
    // 130 = 128 + SIGINT, what a shell reports for an interrupted command; after the report.
    if (!report.passed) process.exitCode = report.interrupted ? EXIT_INTERRUPTED : EXIT.FAILED;
    // A driver call abandoned past its time limit (reported as a failure) may keep timers or
    // sockets alive forever; once the report is out, nothing else is worth waiting for.
    setTimeout(() => process.exit(), 2000).unref();
    return report;
  }
}
