import type { ConformanceCheckResult } from '../../core/generated/schemas.js';
import { failoverServesLastSync, replicationInStats, type FailoverFigures } from '../scenarios/replication.js';
import { runScenario } from './scenario-check.js';
import type { Suite, SuiteContext, SuiteOutcome } from './types.js';

/** Check names, as reports and `--only` name them. */
export const REPLICATION_CHECKS = {
  stats: 'a replication target shows in stats',
  failover: 'failover with the primary down serves the last sync from the target',
} as const;

/**
 * Replication (drivers declaring `replication`, run with a replication harness in the run
 * config: see replication-harness.ts): stats, then one failover with the primary down,
 * measured. Runs last among the suites that touch the backend, since a failover is not undone.
 */
export const replicationSuite: Suite = {
  name: 'replication',
  async run(ctx: SuiteContext): Promise<SuiteOutcome> {
    const { session } = ctx;
    if (!session.driver.supports('replication')) return { checks: [], skipped: [], skipReason: 'capability "replication" is not declared' };
    const harness = session.config.replication;
    if (harness === undefined) {
      const reason = 'declared, but the run has no replication harness: give the run config a "replication" section (targetId and a sync command; see conformance/replication-harness.ts)';
      // Also a capability skip, so the support matrix shows replication as not tested rather than certified.
      return { checks: [], skipped: [{ kind: 'capability', name: 'replication', reason }], skipReason: reason };
    }
    const checks: ConformanceCheckResult[] = [];
    checks.push(await runScenario('replication', { name: REPLICATION_CHECKS.stats, run: (s) => replicationInStats(s, harness) }, session));
    const figures: FailoverFigures = { volumes: 0, failoverMs: 0, windowMs: 0, unsyncedWriteKept: false };
    const failover = await runScenario('replication', { name: REPLICATION_CHECKS.failover, run: (s) => failoverServesLastSync(s, harness, figures) }, session);
    if (failover.status === 'passed') {
      const loss = figures.unsyncedWriteKept ? 'the write made after the last sync was kept (no loss)' : `the write made after the last sync was lost: loss window ${(figures.windowMs / 1000).toFixed(1)} s`;
      checks.push({ ...failover, message: `failover of ${figures.volumes} volumes took ${Math.round(figures.failoverMs)} ms; ${loss}` });
    } else {
      checks.push(failover);
    }
    return { checks, skipped: [] };
  },
};
