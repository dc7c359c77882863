import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { verifyGone, verifySnapshot, verifySnapshotGone, verifyVolume } from '../volume-io.js';
import { expectCode, expectOk } from '../violation.js';
import { dv, ds, expectSnap, expectVol, extent, newSnapshot, newVolume, rawDriver, removeSnapshot, removeVolume, tailExtent, write, type Snap, type Vol } from './kit.js';

/**
 * A snapshot is a point-in-time copy: writes to its volume after it was taken never show
 * in it (a lazy or block-sharing snapshot fails here), extending the volume leaves it alone,
 * a larger volume made from it holds its data and zeros beyond, writes to that volume stay
 * there, and deleting the snapshot leaves both volumes intact.
 */
export async function snapshotsArePointInTime(session: Session): Promise<void> {
  const p = session.newRunPrefix('sp');
  const A = extent(1, 101);
  const A2 = tailExtent(2, 102);
  const v = await newVolume(session, `${p}-v`, 2, [A, A2]);
  const s = await newSnapshot(session, `${p}-s`, v);
  const B = extent(1, 103); // overwrites A
  const C = extent(700, 104);
  await write(session, v, B);
  await write(session, v, C);
  await verifySnapshot(session, expectSnap(s, [B, C]), `snapshot ${s.id} after writes to its volume [${RULES.snapshotFrozen}]`);
  await expectOk(`extendVolume(${v.id}, 2 → 3 GiB) while it has a snapshot`, () => session.driver.extendVolume({ volume: dv(v), newSizeGiB: 3 }), RULES.extend);
  v.sizeGiB = 3;
  await verifyVolume(session, expectVol(v), `volume ${v.id} after extendVolume [${RULES.extend}]`);
  await verifySnapshot(session, expectSnap(s, [B, C]), `snapshot ${s.id} after its volume was extended [${RULES.snapshotFrozen}]`);
  const w: Vol = { id: `${p}-w`, sizeGiB: 3, extents: [...s.extents] };
  session.tracker.volume(dv(w));
  session.tracker.count();
  const res = await expectOk(`createVolumeFromSnapshot(${w.id}, 3 GiB, from the 2 GiB snapshot ${s.id})`, () => session.driver.createVolumeFromSnapshot({ volume: dv(w), snapshot: ds(s) }), RULES.fromSnapshot);
  w.providerLocation = res.providerLocation;
  await verifyVolume(session, expectVol(w, [B, C]), `volume ${w.id} from snapshot ${s.id} [${RULES.fromSnapshot}]`);
  // And one at the snapshot's own size, where "fast paths" share blocks with the snapshot.
  const x: Vol = { id: `${p}-x`, sizeGiB: 2, extents: [...s.extents] };
  session.tracker.volume(dv(x));
  session.tracker.count();
  x.providerLocation = (await expectOk(`createVolumeFromSnapshot(${x.id}, 2 GiB, from the 2 GiB snapshot ${s.id})`, () => session.driver.createVolumeFromSnapshot({ volume: dv(x), snapshot: ds(s) }), RULES.fromSnapshot)).providerLocation;
  const D = extent(900, 105);
  const E = extent(1500, 106);
  const F = extent(1100, 107);
  await write(session, w, D);
  await write(session, v, E);
  await write(session, x, F);
  await verifySnapshot(session, expectSnap(s, [B, C, D, E, F]), `snapshot ${s.id} after writes to volumes made from it [${RULES.fromSnapshot}]`);
  await verifyVolume(session, expectVol(v, [D, F]), `volume ${v.id} after writes to volumes made from its snapshot [${RULES.fromSnapshot}]`);
  await verifyVolume(session, expectVol(w, [B, C, E, F]), `volume ${w.id} after writes to the snapshot's volume and a sibling [${RULES.fromSnapshot}]`);
  await verifyVolume(session, expectVol(x, [B, C, D, E]), `volume ${x.id} after writes to the snapshot's volume and a sibling [${RULES.fromSnapshot}]`);
  await removeSnapshot(session, s, RULES.snapshotDelete);
  await verifySnapshotGone(session, ds(s), `${p}-g`, `after deleteSnapshot(${s.id})`);
  await verifyVolume(session, expectVol(v, [D, F]), `volume ${v.id} after deleteSnapshot(${s.id}) [${RULES.snapshotDelete}]`);
  await verifyVolume(session, expectVol(w, [E, F]), `volume ${w.id} after deleteSnapshot(${s.id}) [${RULES.snapshotDelete}]`);
  await verifyVolume(session, expectVol(x, [D, E]), `volume ${x.id} after deleteSnapshot(${s.id}) [${RULES.snapshotDelete}]`);
}

/**
 * A clone is an independent copy at the size asked for: it holds the source's data and
 * zeros beyond, writes to either never show in the other (shared blocks, or connection info
 * that points at the source, fail here), and deleting the source never breaks it.
 */
export async function clonesAreIndependent(session: Session): Promise<void> {
  const p = session.newRunPrefix('cl');
  const A = extent(2, 201);
  const T = tailExtent(1, 202);
  const v = await newVolume(session, `${p}-v`, 1, [A, T]);
  const c: Vol = { id: `${p}-c`, sizeGiB: 2, extents: [...v.extents] };
  session.tracker.volume(dv(c));
  session.tracker.count();
  const res = await expectOk(`createClonedVolume(${c.id}, 2 GiB, of the 1 GiB ${v.id})`, () => session.driver.createClonedVolume({ volume: dv(c), source: dv(v) }), RULES.clone);
  c.providerLocation = res.providerLocation;
  await verifyVolume(session, expectVol(c), `clone ${c.id} [${RULES.clone}]`);
  // The same size as the source too: "fast paths" for that case are where blocks get shared.
  const same: Vol = { id: `${p}-d`, sizeGiB: 1, extents: [...v.extents] };
  session.tracker.volume(dv(same));
  session.tracker.count();
  same.providerLocation = (await expectOk(`createClonedVolume(${same.id}, 1 GiB, of the 1 GiB ${v.id})`, () => session.driver.createClonedVolume({ volume: dv(same), source: dv(v) }), RULES.clone)).providerLocation;
  const B = extent(10, 203);
  const C = extent(20, 204);
  const D = extent(30, 205);
  await write(session, v, B);
  await write(session, c, C);
  await write(session, same, D);
  await verifyVolume(session, expectVol(v, [C, D]), `source ${v.id} after writes to its clones [${RULES.clone}]`);
  await verifyVolume(session, expectVol(c, [B, D]), `clone ${c.id} after writes to its source and sibling [${RULES.clone}]`);
  await verifyVolume(session, expectVol(same, [B, C]), `clone ${same.id} after writes to its source and sibling [${RULES.clone}]`);
  await removeVolume(session, v, RULES.clone);
  await verifyVolume(session, expectVol(c, [B, D]), `clone ${c.id} after its source was deleted [${RULES.clone}]`);
  await verifyVolume(session, expectVol(same, [B, C]), `clone ${same.id} after its source was deleted [${RULES.clone}]`);
}

/**
 * Revert restores the latest snapshot's data, keeps a larger volume's size (zeros beyond
 * the snapshot), keeps that snapshot and the older ones, and is repeatable. Three
 * snapshots named s9, s10, s11: sorted by name the latest is neither first nor last, so a
 * driver that picks "its" snapshot by listing order fails here.
 */
export async function revertRestoresSnapshot(session: Session): Promise<void> {
  const p = session.newRunPrefix('rv');
  const v = await newVolume(session, `${p}-v`, 1, [extent(1, 301)]);
  const snaps: Snap[] = [];
  for (const [i, n] of [9, 10, 11].entries()) {
    if (i > 0) await write(session, v, extent(1 + i, 301 + i));
    snaps.push(await newSnapshot(session, `${p}-s${n}`, v));
  }
  const latest = snaps.at(-1)!;
  const C = extent(1, 305);
  await write(session, v, C);
  await expectOk(`extendVolume(${v.id}, 1 → 2 GiB) after its snapshots`, () => session.driver.extendVolume({ volume: dv(v), newSizeGiB: 2 }), RULES.extend);
  v.sizeGiB = 2;
  const D = extent(1500, 306);
  await write(session, v, D);
  const later = [C, D];
  for (const round of ['', ' again']) {
    await expectOk(`revertToSnapshot(${v.id} to its latest snapshot ${latest.id})${round} (volume 2 GiB, snapshot 1 GiB)`, () => session.driver.revertToSnapshot({ volume: dv(v), snapshot: ds(latest) }), RULES.revert);
    v.extents = [...latest.extents];
    const reason = `writes made to ${v.id} after ${latest.id} was taken survive: revertToSnapshot(${v.id} to ${latest.id}) did not restore the snapshot's contents`;
    await verifyVolume(session, { ...expectVol(v, later), probeReason: reason }, `volume ${v.id} after revertToSnapshot(${v.id} to ${latest.id})${round} [${RULES.revert}]`);
  }
  for (const s of [...snaps].reverse()) {
    await verifySnapshot(session, expectSnap(s, [...v.extents, ...later]), `snapshot ${s.id} after reverting ${v.id} to ${latest.id} [${RULES.revert}; ${RULES.snapshotFrozen}]`);
  }
  await foreignRevertRefused(session, v, `${p}-w`);
}

/**
 * Reverting a volume to another volume's snapshot is INVALID_ARGUMENT and changes neither;
 * sent raw, so the driver's own ownership check is what answers.
 */
async function foreignRevertRefused(session: Session, v: Vol, otherId: string): Promise<void> {
  const w = await newVolume(session, otherId, 1, [extent(3, 311)]);
  const sw = await newSnapshot(session, `${otherId}-s`, w);
  await expectCode(`revertToSnapshot(${v.id} to ${sw.id}, a snapshot of ${w.id})`, ['INVALID_ARGUMENT'], () => rawDriver(session).revertToSnapshot!({ volume: dv(v), snapshot: ds(sw), signal: AbortSignal.timeout(60_000) }), RULES.revertForeign);
  await verifyVolume(session, { ...expectVol(v, sw.extents), probeReason: `${sw.id}'s data shows through` }, `volume ${v.id} after a refused revert to ${sw.id} [${RULES.revertForeign}]`);
  await verifySnapshot(session, expectSnap(sw), `snapshot ${sw.id} after a refused revert of ${v.id} to it [${RULES.revertForeign}]`);
}

/**
 * Deleting a volume that has snapshots does what the manifest declares, also after a
 * restart (a busy check kept in memory fails here): "busy" refuses with VOLUME_BUSY and
 * keeps both; "allowed" deletes the volume and the snapshot stays usable.
 */
export async function deleteWithSnapshots(session: Session): Promise<void> {
  const p = session.newRunPrefix('dw');
  const A = extent(4, 401);
  const v = await newVolume(session, `${p}-v`, 1, [A]);
  const s = await newSnapshot(session, `${p}-s`, v);
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  if (session.manifest.semantics.deleteVolumeWithSnapshots === 'busy') {
    await expectCode(`deleteVolume(${v.id}) with snapshot ${s.id}, after a restart`, ['VOLUME_BUSY'], () => session.driver.deleteVolume({ volume: dv(v) }), RULES.deleteBusy);
    await verifyVolume(session, expectVol(v), `volume ${v.id} after its delete was refused [${RULES.deleteBusy}]`);
    await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after the delete of its volume was refused [${RULES.deleteBusy}]`);
    await removeSnapshot(session, s);
    await removeVolume(session, v, `${RULES.deleteBusy} — and succeeds once the snapshots are gone`);
    await verifyGone(session, v.id, 'after deleting the volume once its snapshot was gone');
    return;
  }
  await removeVolume(session, v, RULES.deleteAllowed);
  await verifyGone(session, v.id, `after deleteVolume(${v.id}) with a snapshot`);
  await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after its volume was deleted [${RULES.deleteAllowed}]`);
  await removeSnapshot(session, s, RULES.deleteAllowed);
}

/**
 * Everything survives a restart: volumes with their data, snapshots with theirs, and the
 * answers that depend on existence (VOLUME_EXISTS, SNAPSHOT_EXISTS, idempotent deletes).
 */
export async function restartKeepsState(session: Session): Promise<void> {
  const p = session.newRunPrefix('rs');
  const v = await newVolume(session, `${p}-v`, 2, [extent(6, 501), tailExtent(2, 502)]);
  const s = session.driver.supports('snapshots') ? await newSnapshot(session, `${p}-s`, v) : undefined;
  if (s) await write(session, v, extent(6, 503));
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  await verifyVolume(session, expectVol(v), `volume ${v.id} after a restart [${RULES.restart}]`);
  await expectCode(`createVolume(${v.id}) after a restart`, ['VOLUME_EXISTS'], () => session.driver.createVolume({ volume: { id: v.id, sizeGiB: v.sizeGiB } }), `${RULES.createExists}; ${RULES.restart}`);
  await verifyVolume(session, expectVol(v), `volume ${v.id} after a refused duplicate create [${RULES.createExists}]`);
  if (s) {
    await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after a restart [${RULES.restart}]`);
    await expectCode(`createSnapshot(${s.id}) after a restart`, ['SNAPSHOT_EXISTS'], () => session.driver.createSnapshot({ snapshot: ds(s), volume: dv(v) }), `${RULES.snapshotExists}; ${RULES.restart}`);
    await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after a refused duplicate createSnapshot [${RULES.snapshotExists}]`);
    await removeSnapshot(session, s);
  }
  await removeVolume(session, v);
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  await verifyGone(session, v.id, `after deleting ${v.id} and a restart [${RULES.restart}]`);
  await expectOk(`deleteVolume(${v.id}) again after a restart`, () => session.driver.deleteVolume({ volume: dv(v) }), RULES.deleteIdempotent);
  if (s) await expectOk(`deleteSnapshot(${s.id}) again after a restart`, () => session.driver.deleteSnapshot({ snapshot: ds(s) }), RULES.snapshotDeleteIdempotent);
}
