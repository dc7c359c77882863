import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { statsFindings } from '../stats-checks.js';
import { ConformanceViolation, expectOk } from '../violation.js';
import { dv, newVolume, removeVolume } from './kit.js';

/**
 * Provisioned capacity follows creates, extends and deletes at once when stats are
 * refreshed, holds across a restart and comes back to where it started: it grows by about
 * the GiB created or added, shrinks by about the GiB deleted (up to twice that plus
 * one, for a backend's own overhead — never by a different unit), and is never below the
 * sizes of the volumes this scenario holds. Skipped (passes) when the driver does not report
 * `provisioned_capacity_gb`.
 */
export async function statsFollowChanges(session: Session): Promise<void> {
  const p = session.newRunPrefix('st');
  const provisioned = async (when: string): Promise<number | undefined> => {
    const { stats } = await expectOk(`getStats(refresh) ${when}`, () => session.driver.getStats({ refresh: true }));
    const findings = statsFindings(stats, session.manifest);
    if (findings.length > 0) throw new ConformanceViolation(`getStats ${when}: ${findings.join('; ')} [${RULES.stats}]`);
    return stats.provisioned_capacity_gb;
  };
  const rule = `${RULES.statsProvisioned}; ${RULES.statsRefresh}`;
  const start = await provisioned('before creating volumes');
  if (start === undefined) return;
  const a = await newVolume(session, `${p}-a`, 3);
  const b = await newVolume(session, `${p}-b`, 2);
  const grown = (await provisioned(`after creating ${a.id} (3 GiB) and ${b.id} (2 GiB)`)) ?? 0;
  // About the sizes created: more for a backend's own overhead, never a different unit (MiB, bytes).
  const moved = (delta: number, gib: number): boolean => delta >= gib - 0.01 && delta <= 2 * gib + 1;
  if (!moved(grown - start, 5)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${start} → ${grown} while 5 GiB of volumes were created [${rule}]`);
  if (grown + 0.01 < 5) throw new ConformanceViolation(`getStats: provisioned_capacity_gb is ${grown}, less than the 5 GiB of volumes just created [${rule}]`);
  await expectOk(`extendVolume(${b.id}, 2 → 4 GiB)`, () => session.driver.extendVolume({ volume: dv(b), newSizeGiB: 4 }), RULES.extend);
  b.sizeGiB = 4;
  const extended = (await provisioned(`after extending ${b.id} from 2 to 4 GiB`)) ?? 0;
  if (!moved(extended - grown, 2)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${grown} → ${extended} while ${b.id} was extended by 2 GiB [${rule}]`);
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  const restarted = (await provisioned('after a restart')) ?? 0;
  if (Math.abs(restarted - extended) > 1) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${extended} → ${restarted} across a restart that changed nothing [${rule}; ${RULES.restart}]`);
  await removeVolume(session, a);
  const less = (await provisioned(`after deleting ${a.id} (3 GiB)`)) ?? 0;
  if (!moved(restarted - less, 3)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${restarted} → ${less} while a 3 GiB volume was deleted [${rule}]`);
  if (less + 0.01 < 4) throw new ConformanceViolation(`getStats: provisioned_capacity_gb is ${less}, less than the 4 GiB volume that still exists [${rule}]`);
  await removeVolume(session, b);
  const end = (await provisioned(`after deleting ${b.id} (4 GiB)`)) ?? 0;
  if (!moved(less - end, 4)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${less} → ${end} while a 4 GiB volume was deleted [${rule}]`);
  // Back where it started: a figure that only ever grows (or drifts) misleads the scheduler.
  if (Math.abs(end - start) > 1) throw new ConformanceViolation(`getStats: provisioned_capacity_gb ended at ${end} after every volume of this check was deleted; it was ${start} before [${rule}]`);
}
