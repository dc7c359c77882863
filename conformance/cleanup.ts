import { RULES } from './rules.js';
import { hasErrorCode } from '../core/errors/ashlar-error.js';
import { diffListings, snapshotProbes } from './probe.js';
import type { Session } from './session.js';

/** What a sweep did. */
export interface SweepResult {
  readonly deleted: number;
  readonly errors: string[];
}

/**
 * Deletes everything the tracker still holds through the driver: snapshots first, then
 * volumes. A not-found answer counts as gone here (idempotency is the model's business);
 * anything else is reported and the resource stays tracked.
 */
export async function sweep(session: Session): Promise<SweepResult> {
  const errors: string[] = [];
  let deleted = 0;
  const { tracker, driver } = session;
  if (driver.supports('snapshots')) {
    for (const snapshot of tracker.snapshots) {
      try {
        await driver.deleteSnapshot({ snapshot });
      } catch (err) {
        if (!hasErrorCode(err, 'SNAPSHOT_NOT_FOUND')) {
          errors.push(`deleteSnapshot(${snapshot.id}): ${(err as Error).message}`);
          continue;
        }
      }
      deleted++;
      tracker.forgetSnapshot(snapshot.id);
    }
  }
  for (const volume of tracker.volumes) {
    try {
      await driver.terminateConnection({ volume }).catch(() => undefined);
      await driver.deleteVolume({ volume });
    } catch (err) {
      if (!hasErrorCode(err, 'VOLUME_NOT_FOUND')) {
        errors.push(`deleteVolume(${volume.id}): ${(err as Error).message}`);
        continue;
      }
    }
    deleted++;
    tracker.forgetVolume(volume.id);
  }
  return { deleted, errors };
}

/**
 * Runs `work`, then sweeps what it created and compares the backend with how it was
 * before: anything added or removed is a leftover. Returns the problems found (empty when
 * clean); `work`'s own error wins over cleanup problems.
 */
export async function withCleanup(session: Session, work: () => Promise<void>): Promise<string[]> {
  const before = await snapshotProbes(session.probes);
  let failure: unknown;
  try {
    await work();
  } catch (err) {
    failure = err;
  }
  const swept = await sweep(session);
  const diff = diffListings(before, await snapshotProbes(session.probes));
  const problems = [
    ...swept.errors.map((e) => `cleanup failed: ${e}`),
    ...diff.added.map((x) => `left over after cleanup: ${x} [${RULES.noLeftovers}]`),
    ...diff.removed.map((x) => `removed something the run did not create: ${x} [${RULES.deleteOnly}]`),
  ];
  if (failure !== undefined) throw failure;
  return problems;
}
