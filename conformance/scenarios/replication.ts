import { connect } from '../../core/connectors/index.js';
import type { DriverVolume } from '../../core/contract/index.js';
import { instantiateDriver, type DriverInstance } from '../../core/plugins/instantiate.js';
import { extentBytes, type Extent } from '../data.js';
import { runHarness, type ReplicationHarness } from '../replication-harness.js';
import { RULES } from '../rules.js';
import type { Session } from '../session.js';
import { ConformanceViolation, expect, expectCode, expectOk } from '../violation.js';
import { dv, extent, newVolume, write, type Vol } from './kit.js';

/** What the failover scenario measured, for the check's message and the report. */
export interface FailoverFigures {
  volumes: number;
  failoverMs: number;
  /** Time from the end of the last sync to the start of the failover. */
  windowMs: number;
  /** Whether the write made after the last sync reached the target anyway. */
  unsyncedWriteKept: boolean;
}

/** Another instance of the driver under test, on the run's backend with `extra` merged into its config. */
function instance(session: Session, extra: Readonly<Record<string, unknown>>, skipSetup: boolean): Promise<DriverInstance> {
  const c = session.config;
  return instantiateDriver(c.plugin, { config: { ...c.driverConfig, ...extra }, transport: c.transport, logger: c.logger, timeoutMs: c.callTimeoutMs, skipSetup });
}

/** Reads `e`'s region of `volume` through `node` (its own connection info) and compares. */
async function readBack(session: Session, node: DriverInstance, volume: DriverVolume, e: Extent, what: string, rule: string): Promise<Buffer> {
  const { connectionInfo } = await expectOk(`${what}: initializeConnection(${volume.id})`, () => node.driver.initializeConnection({ volume, connector: session.connector }), rule);
  const conn = await expectOk(`${what}: connecting to ${volume.id}`, () => connect(connectionInfo, { executor: node.executor }), rule);
  try {
    return await expectOk(`${what}: read ${e.length} B at ${e.offset} of ${volume.id}`, () => conn.read(e.offset, e.length), rule);
  } finally {
    await conn.close();
    await node.driver.terminateConnection({ volume, connector: session.connector }).catch(() => undefined);
  }
}

async function expectData(session: Session, node: DriverInstance, v: Vol, e: Extent, what: string, rule: string): Promise<void> {
  const got = await readBack(session, node, dv(v), e, what, rule);
  expect(got.equals(extentBytes(e)), `${what}: volume ${v.id} does not hold the data written at ${e.offset} before the last sync [${rule}]`);
}

/** A backend with a replication target says so in its stats. */
export async function replicationInStats(session: Session, harness: ReplicationHarness): Promise<void> {
  const { stats } = await expectOk('getStats(refresh)', () => session.driver.getStats({ refresh: true }), RULES.replicationStats);
  const s = stats as { replication_enabled?: unknown; replication_targets?: unknown };
  expect(s.replication_enabled === true, `getStats: replication_enabled is ${JSON.stringify(s.replication_enabled)}, not true, with target ${harness.targetId} configured [${RULES.replicationStats}]`);
  expect(Array.isArray(s.replication_targets) && s.replication_targets.includes(harness.targetId), `getStats: replication_targets ${JSON.stringify(s.replication_targets)} does not name ${harness.targetId} [${RULES.replicationStats}]`);
}

/**
 * Fail over with the primary gone: volumes come back from the target with the data of the
 * last sync (a write after it may or may not be there: that is the loss window, measured),
 * a volume the backend never replicated is reported in error, a second failover changes
 * nothing, another instance follows with failoverCompleted, an instance started afterwards
 * serves the target, and new volumes work there.
 */
export async function failoverServesLastSync(session: Session, harness: ReplicationHarness, figures: FailoverFigures): Promise<void> {
  const p = session.newRunPrefix('rp');
  // Failover switches an instance for good: the session's own instance stays on the primary
  // (it deletes there at cleanup), `node` is the one that fails over.
  const node = await expectOk('a second instance of the driver', () => instance(session, {}, false));
  const follower = await expectOk('a third instance of the driver', () => instance(session, {}, true));
  const created: Vol[] = [];
  let restarted: DriverInstance | undefined;
  try {
    await expectCode(`failover(secondaryId "${p}-nowhere")`, ['INVALID_ARGUMENT'], () => node.driver.failover({ secondaryId: `${p}-nowhere`, volumes: [] }), RULES.failoverUnknown);
    const a = await newVolume(session, `${p}-a`, 1, [extent(3, 2100)]);
    const b = await newVolume(session, `${p}-b`, 1, [extent(7, 2101)]);
    created.push(a, b);
    await runHarness('sync', harness.sync, session.config.signal);
    const synced = performance.now();
    const late = extent(11, 2102);
    await write(session, a, late);
    await runHarness('primaryDown', harness.primaryDown, session.config.signal);
    const ghost: DriverVolume = { id: `${p}-never`, sizeGiB: 1 };
    const volumes = [dv(a), dv(b), ghost];
    const t0 = performance.now();
    const result = await expectOk(`failover(${harness.targetId}) with the primary down`, () => node.driver.failover({ secondaryId: harness.targetId, volumes }), RULES.failover);
    figures.failoverMs = performance.now() - t0;
    figures.windowMs = t0 - synced;
    figures.volumes = volumes.length;
    expect(result.activeBackendId === harness.targetId, `failover: activeBackendId is ${result.activeBackendId}, not ${harness.targetId} [${RULES.failover}]`);
    const status = new Map(result.volumeUpdates.map((u) => [u.volumeId, u.replicationStatus]));
    for (const v of [a, b]) expect(status.get(v.id) === 'failed-over', `failover: ${v.id} was replicated and synced but is reported ${status.get(v.id) ?? 'not at all'} [${RULES.failover}]`);
    expect(status.get(ghost.id) === 'error', `failover: ${ghost.id} does not exist on the backend (never replicated) but is reported ${status.get(ghost.id) ?? 'not at all'}, not error [${RULES.failover}]`);
    for (const u of result.volumeUpdates) {
      const v = [a, b].find((x) => x.id === u.volumeId);
      if (v !== undefined && u.providerLocation !== undefined) v.providerLocation = u.providerLocation;
    }
    await expectData(session, node, a, a.extents[0]!, 'after failover', RULES.failover);
    await expectData(session, node, b, b.extents[0]!, 'after failover', RULES.failover);
    const lateBytes = await readBack(session, node, dv(a), late, 'after failover', RULES.failover);
    figures.unsyncedWriteKept = lateBytes.equals(extentBytes(late));
    if (!figures.unsyncedWriteKept && !lateBytes.equals(Buffer.alloc(late.length))) {
      throw new ConformanceViolation(`after failover: the region ${a.id} was written at after the last sync holds neither that write nor the synced zeros [${RULES.failover}]`);
    }
    const again = await expectOk(`failover(${harness.targetId}) again`, () => node.driver.failover({ secondaryId: harness.targetId, volumes: [dv(a), dv(b)] }), RULES.failoverIdempotent);
    expect(again.activeBackendId === harness.targetId, `second failover: activeBackendId ${again.activeBackendId} [${RULES.failoverIdempotent}]`);
    await expectData(session, node, b, b.extents[0]!, 'after a second failover', RULES.failoverIdempotent);
    await expectOk(`failoverCompleted(${result.activeBackendId}) on another instance`, () => follower.driver.failoverCompleted({ activeBackendId: result.activeBackendId }), RULES.failoverCompleted);
    await expectOk(`failoverCompleted(${result.activeBackendId}) again`, () => follower.driver.failoverCompleted({ activeBackendId: result.activeBackendId }), RULES.failoverCompleted);
    await expectData(session, follower, a, a.extents[0]!, 'on an instance after failoverCompleted', RULES.failoverCompleted);
    restarted = await expectOk('an instance started after the failover', () => instance(session, harness.afterFailover ?? {}, false), RULES.failoverRestart);
    await expectData(session, restarted, b, b.extents[0]!, 'on an instance started after the failover', RULES.failoverRestart);
    const c: DriverVolume = { id: `${p}-c`, sizeGiB: 1 };
    await expectOk(`createVolume(${c.id}) on the target`, () => node.driver.createVolume({ volume: c }), RULES.failover);
    await expectOk(`deleteVolume(${c.id}) on the target`, () => node.driver.deleteVolume({ volume: c }), RULES.failover);
    for (const v of created) await expectOk(`deleteVolume(${v.id}) on the target`, () => node.driver.deleteVolume({ volume: dv(v) }), RULES.deleteOnly);
  } finally {
    await runHarness('primaryUp', harness.primaryUp);
    // The session's instance deletes the primary's copies at cleanup; their locations there are the original ones.
    for (const v of created) v.providerLocation = undefined;
    for (const i of [node, follower, restarted]) await i?.driver.close().catch(() => undefined);
  }
}
