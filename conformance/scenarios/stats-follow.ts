import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { statsFindings } from '../stats-checks.js';
import { ConformanceViolation, expectOk } from '../violation.js';
import { newVolume, removeVolume } from './kit.js';

/**
 * Provisioned capacity follows creates and deletes at once when stats are refreshed: it
 * grows by about the GiB created, shrinks by about the GiB deleted (up to twice that plus
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
  await removeVolume(session, a);
  const less = (await provisioned(`after deleting ${a.id} (3 GiB)`)) ?? 0;
  if (!moved(grown - less, 3)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${grown} → ${less} while a 3 GiB volume was deleted [${rule}]`);
  if (less + 0.01 < 2) throw new ConformanceViolation(`getStats: provisioned_capacity_gb is ${less}, less than the 2 GiB volume that still exists [${rule}]`);
  await removeVolume(session, b);
  const end = (await provisioned(`after deleting ${b.id} (2 GiB)`)) ?? 0;
  if (!moved(less - end, 2)) throw new ConformanceViolation(`getStats: provisioned_capacity_gb went ${less} → ${end} while a 2 GiB volume was deleted [${rule}]`);
}
