import fc from 'fast-check';
import { withCleanup } from '../cleanup.js';
import { lifecycleCommands } from '../model/arbitraries.js';
import { LifecycleModel } from '../model/model.js';
import type { LifecycleReal } from '../model/real.js';
import { runProperty } from '../property.js';
import { verifyGone, verifyVolume } from '../volume-io.js';
import { ConformanceViolation } from '../violation.js';
import { clonesAreIndependent, deleteWithSnapshots, restartKeepsState, revertRestoresSnapshot, snapshotsArePointInTime } from '../scenarios/snapshots.js';
import { deepPathsHold } from '../scenarios/deep-paths.js';
import { multiattachWorks, newVolumesReadZeros, onlineExtendWorks } from '../scenarios/volumes.js';
import { needs, runScenario, type Scenario } from './scenario-check.js';
import { propertySettings, type Suite, type SuiteContext, type SuiteOutcome } from './types.js';

/**
 * Fixed sequences for the rules random runs reach only now and then (a revert after an
 * extend, a delete with snapshots after a restart, ...). They run before the model, each
 * on its own resources.
 */
const SCENARIOS: readonly Scenario[] = [
  { name: 'snapshots are point-in-time copies', run: snapshotsArePointInTime, skip: needs('snapshots') },
  { name: 'clones are independent copies', run: clonesAreIndependent, skip: needs('clone') },
  { name: 'revert restores the snapshot, keeps the size and the snapshots', run: revertRestoresSnapshot, skip: needs('snapshots', 'revertToSnapshot') },
  { name: 'deleting a volume with snapshots follows the manifest', run: deleteWithSnapshots, skip: needs('snapshots') },
  { name: 'state survives a restart', run: restartKeepsState },
  { name: 'new volumes read as zeros', run: newVolumesReadZeros },
  { name: 'deep paths hold: past 4 GiB, copies of extended volumes, lineage across restarts', run: deepPathsHold },
  { name: 'a volume attached to several hosts works from each as the others detach', run: multiattachWorks, skip: needs('multiattach') },
  { name: 'an attached volume can be extended', run: onlineExtendWorks, skip: needs('onlineExtend') },
];

/**
 * The lifecycle model: random command sequences (fast-check `commands` +
 * `asyncModelRun`), each step checked against the in-memory model, then a full check of
 * every volume, cleanup, and a leftover check. Every run uses fresh ids.
 */
export const lifecycleSuite: Suite = {
  name: 'lifecycle',
  async run(ctx: SuiteContext): Promise<SuiteOutcome> {
    const { session } = ctx;
    const { config } = session;
    const { arbs, skipped } = lifecycleCommands(session.manifest.capabilities);
    const checks = [];
    if (ctx.replay === undefined) for (const scenario of SCENARIOS) checks.push(await runScenario('lifecycle', scenario, session));
    let done = 0;
    const every = Math.max(1, Math.round(config.runs / 10));
    const check = await runProperty({
      id: 'lifecycle.model',
      name: 'model',
      numRuns: config.runs,
      ...propertySettings(ctx),
      build: (replayPath, guard) =>
        fc.asyncProperty(fc.commands(arbs, { maxCommands: config.maxCommands, size: 'max', ...(replayPath ? { replayPath } : {}) }), guard.wrap(async (cmds) => {
          if (config.signal?.aborted) throw new ConformanceViolation('interrupted');
          const started = performance.now();
          const model = new LifecycleModel(session.newRunPrefix('l'));
          const real: LifecycleReal = { session };
          let problems: string[];
          try {
            problems = await withCleanup(session, async () => {
              await fc.asyncModelRun(() => ({ model, real }), cmds);
              for (const v of model.volumes) await verifyVolume(session, model.expectVolume(v), 'final check');
              for (const id of model.deletedVolumes) await verifyGone(session, id, 'final check');
            });
          } finally {
            ctx.figures.modelRuns++;
            ctx.figures.modelSteps += [...cmds].filter((c) => (c as { hasRan?: boolean }).hasRan === true).length;
            ctx.figures.modelMs += performance.now() - started;
            if (++done % every === 0) ctx.progress(`  lifecycle: ${done} model runs`);
          }
          if (problems.length > 0) throw new ConformanceViolation(problems.join('; '));
        })),
    });
    return { checks: [...checks, check], skipped: skipped.map((s) => ({ kind: 'command' as const, ...s })) };
  },
};
