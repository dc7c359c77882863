import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { ConformanceReport, ConformanceSuiteName } from '../../../core/generated/schemas.js';
import { createLogger } from '../../../core/logging.js';
import { SUITE_NAMES } from '../../../conformance/config.js';
import { AshlarCommand, EXIT } from '../../base-command.js';

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
    config: Flags.string({ description: 'JSON file: {"config": {driver section}, "transport"?: {"kind": "local"} | {"kind": "lvm-host", "host": "host.json"}, "connector"?: {...}}.' }),
    seed: Flags.integer({ description: 'Seed of every property (default: random, printed).' }),
    runs: Flags.integer({ description: 'Model runs of the lifecycle property; the others scale from it.', default: 100, min: 1 }),
    'max-commands': Flags.integer({ description: 'Longest operation sequence of one model run.', default: 40, min: 1 }),
    budget: Flags.string({ description: 'Stop starting new property runs after this long (e.g. 45s, 2m).' }),
    'call-timeout': Flags.string({ description: 'Time limit of each driver call (e.g. 30s, 5m); a call past it fails with TIMEOUT.', default: '2m' }),
    only: Flags.option({ options: SUITE_NAMES, multiple: true, description: 'Run only this suite (repeatable).' })(),
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
    const plugin = await loadDriverPlugin(args.driver);
    const target = await prepareTarget(plugin, flags.config, CLI_TRANSPORTS);
    const abort = new AbortController();
    const onSigint = (): void => {
      process.stderr.write('\ninterrupted: stopping, cleaning up what the run created…\n');
      abort.abort();
    };
    process.once('SIGINT', onSigint);
    let report: ConformanceReport;
    try {
      report = await runConformance({
        plugin,
        driverConfig: target.driverConfig,
        transport: target.transport,
        connector: target.connector,
        watchDirectories: target.watchDirectories,
        seed: flags.seed,
        runs: flags.runs,
        maxCommands: flags['max-commands'],
        budgetMs: flags.budget !== undefined ? parseDuration(flags.budget) : undefined,
        callTimeoutMs: parseDuration(flags['call-timeout']),
        only: flags.only as ConformanceSuiteName[] | undefined,
        replay: flags.replay,
        signal: abort.signal,
        progress: (line) => process.stderr.write(`${line}\n`),
        logger: createLogger({ level: flags['log-level'] }),
      });
    } finally {
      process.off('SIGINT', onSigint);
      await target.release();
    }
    const json = renderJson(report);
    if (flags['report-json']) await writeFile(flags['report-json'], json);
    if (flags['report-junit']) await writeFile(flags['report-junit'], renderJunit(report));
    if (flags['report-md']) await writeFile(flags['report-md'], renderMarkdown(report));
    if (flags['report-html']) {
      const { renderHtml } = await import('../../../conformance/report/html.js');
      await writeFile(flags['report-html'], renderHtml(report, { environment: { Node: process.version, OS: `${process.platform} ${process.arch}` } }));
    }
    // With --json, oclif prints the returned report on stdout.
    if (!this.jsonEnabled()) process.stderr.write(`${renderSummary(report)}\n`);
    if (!report.passed) process.exitCode = EXIT.FAILED;
    // A driver call abandoned past its time limit (reported as a failure) may keep timers or
    // sockets alive forever; once the report is out, nothing else is worth waiting for.
    setTimeout(() => process.exit(), 2000).unref();
    return report;
  }
}
