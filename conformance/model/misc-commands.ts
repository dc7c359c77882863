import type { AsyncCommand } from 'fast-check';
import { statsFindings } from '../stats-checks.js';
import { RULES } from '../rules.js';
import { verifySnapshot, verifyVolume } from '../volume-io.js';
import { ConformanceViolation, expectOk } from '../violation.js';
import type { LifecycleModel } from './model.js';
import type { LifecycleReal } from './real.js';

type Cmd = AsyncCommand<LifecycleModel, LifecycleReal>;

/** A driver restart: a new instance on the same backend and config sees every volume as it was. */
export class RestartDriver implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    await expectOk('restart (new driver instance, checkSetup)', () => r.session.restart());
    for (const v of m.volumes) await verifyVolume(r.session, m.expectVolume(v), `after restart [${RULES.restart}]`);
    const snapshot = m.snapshots.at(-1);
    if (snapshot) await verifySnapshot(r.session, m.expectSnapshot(snapshot), `after restart [${RULES.restart}]`);
  }
  toString(): string {
    return 'restartDriver()';
  }
}

/**
 * getStats: schema-valid and consistent, and provisioned capacity (when reported) moves
 * the way the model's volumes did since the last report (checked only when no snapshot was
 * created or deleted in between, since backends differ on whether snapshots count).
 */
export class GetStats implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: LifecycleModel, r: LifecycleReal): Promise<void> {
    const { stats } = await expectOk('getStats(refresh)', () => r.session.driver.getStats({ refresh: true }));
    const findings = statsFindings(stats, r.session.manifest);
    if (findings.length > 0) throw new ConformanceViolation(`getStats: ${findings.join('; ')} [${RULES.stats}]`);
    const ours = m.provisionedGiB();
    if (stats.provisioned_capacity_gb !== undefined && stats.provisioned_capacity_gb + 0.01 < ours) {
      throw new ConformanceViolation(`getStats: provisioned_capacity_gb is ${stats.provisioned_capacity_gb}, less than the ${ours} GiB of this run's own live volumes [${RULES.statsProvisioned}]`);
    }
    const mark = { provisioned: stats.provisioned_capacity_gb, modelProvisioned: m.provisionedGiB(), snapshotChanges: m.snapshotChanges };
    const last = m.lastStats;
    m.lastStats = mark;
    if (!last || last.provisioned === undefined || mark.provisioned === undefined || last.snapshotChanges !== mark.snapshotChanges) return;
    const modelDelta = mark.modelProvisioned - last.modelProvisioned;
    const reported = mark.provisioned - last.provisioned;
    if (modelDelta !== 0 && Math.sign(reported) !== Math.sign(modelDelta)) {
      throw new ConformanceViolation(
        `getStats: volumes changed by ${modelDelta > 0 ? '+' : ''}${modelDelta} GiB since the last report, but provisioned_capacity_gb moved ${last.provisioned} → ${mark.provisioned} [${RULES.statsProvisioned}; ${RULES.statsRefresh}]`,
      );
    }
  }
  toString(): string {
    return 'getStats()';
  }
}
