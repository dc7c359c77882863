import type { ConformanceCheckResult } from '../../core/generated/schemas.js';
import { CAPABILITY_METHODS } from '../../core/contract/capability-map.js';
import { missingCapabilityMethods, undeclaredCapabilityMethods } from '../../core/contract/runtime-driver.js';
import type { Capability } from '../../core/contract/types.js';
import { hasErrorCode, isAshlarError } from '../../core/errors/ashlar-error.js';
import { checkManifest } from '../../core/plugins/loader.js';
import { RULES } from '../rules.js';
import { abortedCalls } from '../scenarios/aborted-calls.js';
import { statsFollowChanges } from '../scenarios/stats-follow.js';
import { statsFindings } from '../stats-checks.js';
import { runScenario } from './scenario-check.js';
import { driverErrorOf, ruleOf } from '../violation.js';
import { wantsCheck } from '../config.js';
import type { Session } from '../session.js';
import type { Suite, SuiteContext, SuiteOutcome } from './types.js';

/** Runs one named static check, when the run selects it: it returns findings (empty = passed) or throws. */
async function check(session: Session, name: string, fn: () => Promise<string[]> | string[]): Promise<ConformanceCheckResult> {
  if (!wantsCheck(session.config, 'static', name)) return { name, status: 'skipped', durationMs: 0, message: 'not selected' };
  if (session.config.signal?.aborted) return { name, status: 'skipped', durationMs: 0, message: 'interrupted' };
  const started = performance.now();
  try {
    const findings = await fn();
    const durationMs = performance.now() - started;
    if (findings.length === 0) return { name, status: 'passed', durationMs };
    const message = findings.join('; ');
    return { name, status: 'failed', durationMs, message, failure: { property: `static/${name}`, message } };
  } catch (err) {
    const message = `${isAshlarError(err) ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}`;
    const driverError = driverErrorOf(err);
    const rule = ruleOf(err);
    return { name, status: 'failed', durationMs: performance.now() - started, message, failure: { property: `static/${name}`, message, ...(rule ? { rule } : {}), ...(driverError ? { driverError } : {}) } };
  }
}

/**
 * Static checks: the manifest, declared capabilities against implemented methods in both
 * directions, the wrapper's gating of undeclared capabilities, checkSetup, and stats.
 */
export const staticSuite: Suite = {
  name: 'static',
  async run(ctx: SuiteContext): Promise<SuiteOutcome> {
    const { session } = ctx;
    const manifest = session.manifest;
    const raw = session.driver.raw;
    const checks = [
      await check(session, 'manifest valid', () => {
        checkManifest(session.config.plugin.spec, manifest);
        return [];
      }),
      await check(session, 'declared capabilities are implemented', () =>
        missingCapabilityMethods(raw, manifest.capabilities).map((m) => `declares ${m.split('.')[0]} but does not implement ${m.split('.')[1]}`),
      ),
      await check(session, 'implemented optional methods are declared', () =>
        undeclaredCapabilityMethods(raw, manifest.capabilities).map((m) => `implements ${m.split('.')[1]} but does not declare capability "${m.split('.')[0]}"`),
      ),
      await check(session, 'undeclared capabilities are refused', async () => {
        const findings: string[] = [];
        const declared = new Set<Capability>(manifest.capabilities);
        for (const [cap, methods] of Object.entries(CAPABILITY_METHODS) as [Capability, readonly string[]][]) {
          if (declared.has(cap) || methods.length === 0) continue;
          const method = methods[0]!;
          const call = (session.driver as unknown as Record<string, (a: object) => Promise<unknown>>)[method]!;
          // Well-formed arguments for every optional method at once, so only gating can refuse.
          const volume = { id: 'gating-probe', sizeGiB: 1 };
          const args = { volume, group: { id: 'gating-probe' }, groupSnapshotId: 'gating-probe', volumes: [], addVolumes: [], removeVolumes: [], existingRef: { 'source-name': 'gating-probe' }, newType: { name: 'x', extraSpecs: {} }, diff: {}, host: { host: 'x', capabilities: {} }, secondaryBackendId: 'x', activeBackendId: 'x' };
          try {
            await call.call(session.driver, args);
            findings.push(`${method} (capability "${cap}" not declared) was accepted`);
          } catch (err) {
            if (!hasErrorCode(err, 'NOT_SUPPORTED')) findings.push(`${method} (capability "${cap}" not declared) failed with ${isAshlarError(err) ? err.code : 'an uncoded error'}, expected NOT_SUPPORTED`);
          }
        }
        return findings;
      }),
      await check(session, 'checkSetup is repeatable', async () => {
        await session.driver.checkSetup();
        await session.driver.checkSetup();
        return [];
      }),
      await check(session, 'stats valid and consistent', async () => {
        // Raw, so the finding names the inconsistency instead of the wrapper's generic refusal.
        const { stats } = await raw.getStats({ refresh: true, signal: AbortSignal.timeout(60_000) });
        const cached = await raw.getStats({ refresh: false, signal: AbortSignal.timeout(60_000) });
        const findings = [...statsFindings(stats, manifest), ...statsFindings(cached.stats, manifest).map((f) => `cached stats: ${f}`)];
        return findings.length > 0 ? [...findings, `[${RULES.stats}]`] : [];
      }),
    ];
    if (ctx.replay === undefined) {
      // These create volumes; they run here, first, because a driver that hangs on an aborted
      // signal is found within the grace period instead of a full call time limit later.
      checks.push(
        await runScenario('static', { name: 'aborted calls settle promptly and leave nothing half-done', run: abortedCalls }, session),
        await runScenario('static', { name: 'stats follow creates and deletes', run: statsFollowChanges }, session),
      );
    }
    return { checks, skipped: [] };
  },
};
