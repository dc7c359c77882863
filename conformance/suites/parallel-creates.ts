import fc from 'fast-check';
import type { Extent } from '../data.js';
import { RULES } from '../rules.js';
import { ds, dv, newSnapshot, newVolume, type Snap, type Vol } from '../scenarios/kit.js';
import type { Session } from '../session.js';
import { verifySnapshot, verifyVolume, writeExtent } from '../volume-io.js';
import { ConformanceViolation, describeError } from '../violation.js';

/** One scenario: sizes of the plain creates, and how many snapshots and volumes-from-snapshot race them. */
export interface CreatesScenario {
  readonly sizes: readonly number[];
  readonly snapshots: number;
  readonly fromSnapshot: number;
}

/** Scenarios of 2–4 creates, plus up to 2 snapshots and 2 volumes from a snapshot when declared. */
export function createsScenarioArb(withSnapshots: boolean): fc.Arbitrary<CreatesScenario> {
  return fc.record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
    snapshots: withSnapshots ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
    fromSnapshot: withSnapshots ? fc.integer({ min: 0, max: 2 }) : fc.constant(0),
  });
}

/**
 * Creates of different ids launched together (the scheduler picks the launch order, the
 * calls then really overlap): every one must succeed with its own size and nothing shared
 * with the others — a staging file or lock with a fixed name fails here. Then the same
 * bytes offset is written with different data in every new volume: each must read back
 * its own.
 */
export async function parallelCreates(session: Session, s: fc.Scheduler, scenario: CreatesScenario): Promise<void> {
  const p = session.newRunPrefix('pc');
  const base = scenario.snapshots + scenario.fromSnapshot > 0 ? await newVolume(session, `${p}-b`, 1, [{ offset: 4096, length: 4096, fill: 31 }]) : undefined;
  const baseSnap = base && scenario.fromSnapshot > 0 ? await newSnapshot(session, `${p}-bs`, base) : undefined;
  const volumes: Vol[] = [];
  const snaps: Snap[] = [];
  const launches: Promise<{ what: string; error?: unknown }>[] = [];
  const launch = (what: string, call: () => Promise<unknown>, made?: Vol): void => {
    const done = (res: unknown): { what: string } => {
      const location = (res as { providerLocation?: unknown } | undefined)?.providerLocation;
      if (made && typeof location === 'string') made.providerLocation = location;
      return { what };
    };
    launches.push(s.schedule(Promise.resolve(what), what).then(() => call().then(done, (error: unknown) => ({ what, error }))));
  };
  for (const [i, sizeGiB] of scenario.sizes.entries()) {
    const volume = { id: `${p}-v${i}`, sizeGiB };
    session.tracker.volume(volume);
    session.tracker.count();
    const made: Vol = { ...volume, extents: [] };
    volumes.push(made);
    launch(`createVolume(${volume.id}, ${sizeGiB} GiB)`, () => session.driver.createVolume({ volume }), made);
  }
  for (let i = 0; base && i < scenario.snapshots; i++) {
    const snapshot = { id: `${p}-s${i}`, volumeId: base.id, sizeGiB: 1 };
    session.tracker.snapshot(snapshot);
    session.tracker.count();
    snaps.push({ ...snapshot, extents: base.extents });
    launch(`createSnapshot(${snapshot.id} of ${base.id})`, () => session.driver.createSnapshot({ snapshot, volume: { id: base.id, sizeGiB: 1 } }));
  }
  for (let i = 0; baseSnap && i < scenario.fromSnapshot; i++) {
    const volume = { id: `${p}-f${i}`, sizeGiB: 1 };
    session.tracker.volume(volume);
    session.tracker.count();
    const made: Vol = { ...volume, extents: [...baseSnap.extents] };
    volumes.push(made);
    launch(`createVolumeFromSnapshot(${volume.id} from ${baseSnap.id})`, () => session.driver.createVolumeFromSnapshot({ volume, snapshot: ds(baseSnap) }), made);
  }
  await s.waitAll();
  for (const o of await Promise.all(launches)) {
    if (o.error !== undefined) throw new ConformanceViolation(`${o.what} failed while other creates ran: ${describeError(o.error)} [${RULES.concurrent}]`, o.error);
  }
  for (const v of volumes) await verifyVolume(session, v, `volume ${v.id} created alongside others [${RULES.concurrent}]`);
  const mark: Extent[] = volumes.map((_, i) => ({ offset: 512 * 1024, length: 4096, fill: 7000 + i }));
  for (const [i, v] of volumes.entries()) {
    await writeExtent(session, dv(v), mark[i]!);
    v.extents.push(mark[i]!);
  }
  for (const v of volumes) await verifyVolume(session, v, `volume ${v.id} after the same offset was written in every volume created alongside it [${RULES.concurrent}]`);
  for (const snap of snaps) await verifySnapshot(session, { ...snap, probes: mark }, `snapshot ${snap.id} created alongside others [${RULES.concurrent}]`);
}
