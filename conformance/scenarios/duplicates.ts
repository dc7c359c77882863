import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { verifySnapshot, verifyVolume } from '../volume-io.js';
import { expectCode, expectOk } from '../violation.js';
import { dv, ds, expectSnap, expectVol, extent, newSnapshot, newVolume, tailExtent } from './kit.js';

/**
 * Every create refuses an id that is taken and leaves the existing resource exactly as it
 * was: a plain create with the same size (the retry a client makes after a lost answer),
 * smaller or larger, a clone or a volume from a snapshot onto an existing id, a snapshot
 * onto an existing snapshot id — and the same after a restart, so an existence check kept
 * in memory fails here.
 */
export async function duplicateIdsRefused(session: Session): Promise<void> {
  const p = session.newRunPrefix('du');
  const d = session.driver;
  const v = await newVolume(session, `${p}-v`, 2, [extent(8, 601), tailExtent(2, 602)]);
  const w = await newVolume(session, `${p}-w`, 1, [extent(9, 603)]);
  const exists = RULES.createExists;
  for (const sizeGiB of [2, 1, 3]) {
    await expectCode(`createVolume(${v.id}, ${sizeGiB} GiB) of an existing 2 GiB volume`, ['VOLUME_EXISTS'], () => d.createVolume({ volume: { id: v.id, sizeGiB } }), exists);
  }
  await verifyVolume(session, expectVol(v), `volume ${v.id} after refused duplicate creates [${exists}]`);
  if (d.supports('clone')) {
    await expectCode(`createClonedVolume(${v.id} of ${w.id}) onto an existing volume`, ['VOLUME_EXISTS'], () => d.createClonedVolume({ volume: { id: v.id, sizeGiB: 2 }, source: dv(w) }), RULES.cloneExists);
    await verifyVolume(session, expectVol(v), `volume ${v.id} after a refused clone onto it`);
    await verifyVolume(session, expectVol(w), `source ${w.id} after a refused clone`);
  }
  if (d.supports('snapshots')) {
    const s = await newSnapshot(session, `${p}-s`, v);
    await expectCode(`createVolumeFromSnapshot(${w.id} from ${s.id}) onto an existing volume`, ['VOLUME_EXISTS'], () => d.createVolumeFromSnapshot({ volume: { id: w.id, sizeGiB: 2 }, snapshot: ds(s) }), RULES.fromSnapshotExists);
    await verifyVolume(session, expectVol(w), `volume ${w.id} after a refused volume-from-snapshot onto it`);
    await expectCode(`createSnapshot(${s.id} of ${v.id}) again`, ['SNAPSHOT_EXISTS'], () => d.createSnapshot({ snapshot: ds(s), volume: dv(v) }), RULES.snapshotExists);
    await verifySnapshot(session, expectSnap(s), `snapshot ${s.id} after refused duplicate createSnapshot calls [${RULES.snapshotExists}]`);
  }
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  await expectCode(`createVolume(${v.id}, 2 GiB) of an existing volume after a restart`, ['VOLUME_EXISTS'], () => session.driver.createVolume({ volume: { id: v.id, sizeGiB: 2 } }), `${exists}; ${RULES.restart}`);
  await verifyVolume(session, expectVol(v), `volume ${v.id} after a refused duplicate create after a restart [${exists}]`);
}
