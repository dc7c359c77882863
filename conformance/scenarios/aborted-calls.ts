import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { verifyGone, verifySnapshot, verifyVolume } from '../volume-io.js';
import { expectCode } from '../violation.js';
import { dv, ds, expectSnap, expectVol, extent, newSnapshot, newVolume, rawDriver, settles, verifyOneOf, write } from './kit.js';

/**
 * Every mutating call once with a signal that is already aborted, straight to the raw
 * driver (the wrapper would answer ABORTED itself). A driver may finish the work or stop
 * with a coded error, but it must settle promptly (the call monitor's grace period) and
 * the outcome must be all or nothing: the resource exists complete, or nothing is left
 * (the leftover check runs after the scenario).
 */
export async function abortedCalls(session: Session): Promise<void> {
  const raw = rawDriver(session);
  const p = session.newRunPrefix('a');
  const aborted = (): AbortSignal => AbortSignal.abort();
  const A = extent(3, 11);
  const v = await newVolume(session, `${p}-v`, 1, [A]);
  const rule = RULES.abort;
  const grace = session.config.abortGraceMs;

  await settles('getStats with an aborted signal', () => raw.getStats!({ refresh: true, signal: aborted() }), rule, grace);

  const fresh = { id: `${p}-n`, sizeGiB: 1 };
  session.tracker.volume(fresh);
  if (await settles(`createVolume(${fresh.id}) with an aborted signal`, () => raw.createVolume!({ volume: fresh, signal: aborted() }), rule, grace)) {
    await verifyVolume(session, { ...fresh, extents: [] }, `volume ${fresh.id} whose aborted create reported success`);
  } else {
    await verifyGone(session, fresh.id, `after createVolume(${fresh.id}) stopped by its aborted signal`);
  }

  if (await settles(`extendVolume(${v.id}, 1 → 2 GiB) with an aborted signal`, () => raw.extendVolume!({ volume: dv(v), newSizeGiB: 2, signal: aborted() }), rule, grace)) {
    v.sizeGiB = 2;
    await verifyVolume(session, expectVol(v), `volume ${v.id} after extendVolume reported success under an aborted signal [${RULES.extend}]`);
  } else if ((await verifyOneOf(session, [expectVol(v), expectVol({ ...v, sizeGiB: 2 })], `volume ${v.id} after an aborted extendVolume`)) === 1) {
    v.sizeGiB = 2;
  }

  if (session.driver.supports('clone')) {
    const clone = { id: `${p}-c`, sizeGiB: v.sizeGiB };
    session.tracker.volume(clone);
    if (await settles(`createClonedVolume(${clone.id} of ${v.id}) with an aborted signal`, () => raw.createClonedVolume!({ volume: clone, source: dv(v), signal: aborted() }), rule, grace)) {
      await verifyVolume(session, { ...clone, extents: v.extents }, `clone ${clone.id} whose aborted create reported success [${RULES.clone}]`);
    } else {
      await verifyGone(session, clone.id, `after createClonedVolume(${clone.id}) stopped by its aborted signal`);
    }
  }

  if (session.driver.supports('snapshots')) {
    const s1 = { id: `${p}-s1`, volumeId: v.id, sizeGiB: v.sizeGiB };
    session.tracker.snapshot(s1);
    if (await settles(`createSnapshot(${s1.id}) with an aborted signal`, () => raw.createSnapshot!({ snapshot: s1, volume: dv(v), signal: aborted() }), rule, grace)) {
      await verifySnapshot(session, expectSnap({ ...s1, extents: v.extents }), `snapshot ${s1.id} whose aborted create reported success`);
    } else {
      const probe = { id: `${p}-p`, sizeGiB: v.sizeGiB };
      session.tracker.volume(probe);
      await expectCode(`createVolumeFromSnapshot(${probe.id}) of snapshot ${s1.id}, whose create was stopped by its aborted signal`, ['SNAPSHOT_NOT_FOUND'], () =>
        session.driver.createVolumeFromSnapshot({ volume: probe, snapshot: s1 }), `${RULES.snapshotMissing}; an aborted create leaves nothing behind`,
      );
    }
    const s = await newSnapshot(session, `${p}-s`, v);
    const fromSnap = { id: `${p}-f`, sizeGiB: s.sizeGiB };
    session.tracker.volume(fromSnap);
    if (await settles(`createVolumeFromSnapshot(${fromSnap.id}) with an aborted signal`, () => raw.createVolumeFromSnapshot!({ volume: fromSnap, snapshot: ds(s), signal: aborted() }), rule, grace)) {
      await verifyVolume(session, { ...fromSnap, extents: s.extents }, `volume ${fromSnap.id} whose aborted create reported success [${RULES.fromSnapshot}]`);
    } else {
      await verifyGone(session, fromSnap.id, `after createVolumeFromSnapshot(${fromSnap.id}) stopped by its aborted signal`);
    }
    if (session.driver.supports('revertToSnapshot')) {
      const B = extent(5, 12);
      await write(session, v, B);
      const after = { ...v, extents: [...s.extents], probes: [B], probeReason: `the write after snapshot ${s.id}, which the revert undoes, still shows` };
      if (await settles(`revertToSnapshot(${v.id} to ${s.id}) with an aborted signal`, () => raw.revertToSnapshot!({ volume: dv(v), snapshot: ds(s), signal: aborted() }), rule, grace)) {
        await verifyVolume(session, after, `volume ${v.id} after revertToSnapshot reported success under an aborted signal [${RULES.revert}]`);
        v.extents = after.extents;
      } else if ((await verifyOneOf(session, [expectVol(v), after], `volume ${v.id} after an aborted revertToSnapshot`)) === 1) {
        v.extents = after.extents;
      }
    }
    if (await settles(`deleteSnapshot(${s.id}) with an aborted signal`, () => raw.deleteSnapshot!({ snapshot: ds(s), signal: aborted() }), rule, grace)) {
      session.tracker.forgetSnapshot(s.id);
    } else {
      await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after its delete was stopped by an aborted signal`);
    }
  }

  await settles(`initializeConnection(${v.id}) with an aborted signal`, () => raw.initializeConnection!({ volume: dv(v), connector: session.connector, signal: aborted() }), rule, grace);
  await settles(`terminateConnection(${v.id}) with an aborted signal`, () => raw.terminateConnection!({ volume: dv(v), connector: session.connector, signal: aborted() }), rule, grace);
  if (await settles(`deleteVolume(${v.id}) with an aborted signal`, () => raw.deleteVolume!({ volume: dv(v), signal: aborted() }), rule, grace)) {
    await verifyGone(session, v.id, `after deleteVolume(${v.id}) reported success under an aborted signal`);
    session.tracker.forgetVolume(v.id);
  } else {
    await verifyVolume(session, expectVol(v), `volume ${v.id} after its delete was stopped by an aborted signal`);
  }
}
