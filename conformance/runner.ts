import { statSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_VERSION } from '../core/contract/version.js';
import { isAshlarError } from '../core/errors/ashlar-error.js';
import type { ConformanceReport, ConformanceSkip, ConformanceSuiteResult } from '../core/generated/schemas.js';
import { resolveConfig, wantsCheck, wantsSuite, type ConformanceConfig, type ResolvedConfig } from './config.js';
import { annotateFailures, ruleCoverage } from './coverage/rule-coverage.js';
import { sweep } from './cleanup.js';
import { directoryProbe, diffListings, manageableProbe, snapshotProbes } from './probe.js';
import { parseReplay } from './replay.js';
import { Session } from './session.js';
import { concurrencySuite } from './suites/concurrency.js';
import { lifecycleSuite } from './suites/lifecycle.js';
import { negativeSuite } from './suites/negative.js';
import { replicationSuite } from './suites/replication.js';
import { staticSuite } from './suites/static.js';
import type { Suite, SuiteContext } from './suites/types.js';
import { TOOL_VERSION } from './version.js';

// replication last: its failover is not undone.
const SUITES: readonly Suite[] = [staticSuite, lifecycleSuite, negativeSuite, concurrencySuite, replicationSuite];

/** Capabilities this version of the runner does not exercise yet (reported, never failed). */
const NOT_EXERCISED = ['groups', 'retype', 'migrate', 'thinProvisioning'] as const;

/**
 * Runs the conformance suites against a driver and returns the report. Never throws for
 * a driver's failure (that is in the report); throws only for a run that cannot start
 * (bad replay token).
 */
export async function runConformance(input: ConformanceConfig): Promise<ConformanceReport> {
  const config = resolveConfig(input);
  const replay = config.replay !== undefined ? parseReplay(config.replay) : undefined;
  const startedAt = new Date();
  const started = performance.now();
  const manifest = config.plugin.manifest;
  const skipped: ConformanceSkip[] = [];
  const suites: ConformanceSuiteResult[] = [];
  const figures = { modelRuns: 0, modelSteps: 0, modelMs: 0 };
  const cleanup: ConformanceReport['cleanup'] = { status: 'passed', created: 0, deleted: 0, probes: [], leftovers: [], errors: [] };
  const maxCommands = replay?.maxCommands ?? config.maxCommands;
  const cfg: ResolvedConfig = { ...config, maxCommands };

  let session: Session | undefined;
  try {
    session = await Session.open(cfg);
  } catch (err) {
    const message = `${isAshlarError(err) ? `${err.code}: ` : ''}${(err as Error).message}`;
    config.progress(`✗ cannot start the driver: ${message}`);
    suites.push({ name: 'static', status: 'failed', durationMs: performance.now() - started, checks: [{ name: 'driver starts (create + checkSetup)', status: 'failed', durationMs: 0, message, failure: { property: 'static/driver starts', message, ...(isAshlarError(err) ? { driverError: { code: err.code, message: err.message } } : {}) } }] });
  }

  if (session) {
    for (const dir of config.watchDirectories ?? (config.transport === undefined || config.transport.description === 'local' ? localDirectories(config.driverConfig) : [])) {
      session.probes.push(directoryProbe([dir]));
    }
    if (session.driver.supports('manage')) session.probes.push(manageableProbe(() => session!.driver));
    cleanup.probes = session.probes.map((p) => p.description);
    if (session.probes.length === 0) cleanup.probes = ['none: the driver declares no `manage` and has no local directory; leftovers are only looked for through its own deletes'];
    const baseline = await snapshotProbes(session.probes);
    for (const cap of NOT_EXERCISED) {
      if (manifest.capabilities.includes(cap)) skipped.push({ kind: 'capability', name: cap, reason: 'declared; this version of the conformance runner does not exercise it yet' });
    }
    for (const cap of ['snapshots', 'clone', 'revertToSnapshot', 'manage', 'multiattach', 'onlineExtend'] as const) {
      if (!manifest.capabilities.includes(cap)) skipped.push({ kind: 'capability', name: cap, reason: 'not declared: its commands and checks are never run' });
    }
    const deadline = config.budgetMs !== undefined ? performance.now() + config.budgetMs : undefined;
    const ctx: SuiteContext = {
      session,
      replay,
      figures,
      progress: config.progress,
      // One budget for the whole run: each property gets what is left of it.
      get budgetMs() {
        return deadline === undefined ? undefined : Math.max(1, deadline - performance.now());
      },
    };
    for (const suite of SUITES) {
      const wanted = replay ? replay.property.startsWith(`${suite.name}.`) : wantsSuite(config, suite.name);
      if (!wanted) continue;
      if (config.signal?.aborted) {
        suites.push({ name: suite.name, status: 'skipped', durationMs: 0, reason: 'interrupted', checks: [] });
        continue;
      }
      config.progress(`▶ ${suite.name}`);
      const t0 = performance.now();
      let result: ConformanceSuiteResult;
      try {
        const ran = await suite.run(ctx);
        // Checks the selection leaves out never ran; they are not part of the report.
        const out = replay ? ran : { ...ran, checks: ran.checks.filter((c) => wantsCheck(config, suite.name, c.name)) };
        skipped.push(...out.skipped);
        if (out.skipReason) {
          skipped.push({ kind: 'suite', name: suite.name, reason: out.skipReason });
          result = { name: suite.name, status: 'skipped', durationMs: performance.now() - t0, reason: out.skipReason, checks: [] };
        } else {
          const failed = out.checks.some((c) => c.status === 'failed');
          result = { name: suite.name, status: failed ? 'failed' : 'passed', durationMs: performance.now() - t0, checks: out.checks };
        }
      } catch (err) {
        const message = `the suite crashed: ${(err as Error).message}`;
        result = { name: suite.name, status: 'failed', durationMs: performance.now() - t0, checks: [{ name: 'suite runs', status: 'failed', durationMs: 0, message, failure: { property: `${suite.name}/suite runs`, message } }] };
      }
      annotateFailures(result);
      suites.push(result);
      for (const c of result.checks) config.progress(`  ${{ passed: '✓', failed: '✗', skipped: '–' }[c.status]} ${suite.name}/${c.name}${c.runs !== undefined ? ` (${c.runs} runs)` : ''}${c.status !== 'passed' || c.message ? `: ${c.message ?? ''}` : ''}`);
      if (result.status === 'skipped') config.progress(`  – skipped: ${result.reason ?? ''}`);
      config.progress(`  ${suite.name}: ${(result.durationMs / 1000).toFixed(1)} s`);
    }
    config.progress('▶ cleanup');
    const swept = await sweep(session);
    cleanup.deleted = swept.deleted;
    cleanup.errors = swept.errors;
    const diff = diffListings(baseline, await snapshotProbes(session.probes));
    cleanup.leftovers = [...diff.added.map((x) => `added: ${x}`), ...diff.removed.map((x) => `removed: ${x}`), ...session.tracker.volumes.map((v) => `volume ${v.id} could not be deleted`), ...session.tracker.snapshots.map((s) => `snapshot ${s.id} could not be deleted`)];
    cleanup.created = session.tracker.created;
    cleanup.status = cleanup.leftovers.length === 0 && cleanup.errors.length === 0 ? 'passed' : 'failed';
    config.progress(`  ${cleanup.status === 'passed' ? '✓' : '✗'} cleanup: ${cleanup.created} created, ${cleanup.leftovers.length} left over`);
    await session.close();
  } else {
    cleanup.status = 'skipped';
  }

  const interrupted = config.signal?.aborted === true;
  const passed = !interrupted && suites.every((s) => s.status !== 'failed') && cleanup.status !== 'failed' && suites.length > 0;
  return {
    reportVersion: 1,
    tool: { name: 'ashlar', version: TOOL_VERSION, contract: CONTRACT_VERSION },
    driver: {
      spec: config.plugin.spec,
      name: manifest.name,
      version: manifest.version,
      capabilities: [...manifest.capabilities],
      transport: config.transport?.description ?? 'local',
    },
    options: {
      seed: replay?.seed ?? config.seed,
      runs: config.runs,
      maxCommands,
      ...(config.budgetMs !== undefined ? { budgetMs: Math.round(config.budgetMs) } : {}),
      ...(config.only ? { only: [...config.only] } : {}),
      ...(config.checks ? { checks: [...config.checks] } : {}),
      ...(config.replay ? { replay: config.replay } : {}),
    },
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    passed,
    interrupted,
    suites,
    skipped,
    cleanup,
    rules: ruleCoverage(suites),
    figures: {
      modelRuns: figures.modelRuns,
      modelSteps: figures.modelSteps,
      stepsPerSecond: figures.modelMs > 0 ? Math.round((figures.modelSteps / figures.modelMs) * 1000 * 10) / 10 : 0,
    },
  };
}

/** Absolute paths of existing directories named in a driver config (e.g. `file`'s `directory`). */
function localDirectories(config: Readonly<Record<string, unknown>>): string[] {
  return Object.values(config).filter((v): v is string => {
    if (typeof v !== 'string' || !path.isAbsolute(v)) return false;
    try {
      return statSync(v).isDirectory();
    } catch {
      return false;
    }
  });
}
