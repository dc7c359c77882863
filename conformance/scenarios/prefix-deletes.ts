import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { verifyGone, verifySnapshot, verifyVolume } from '../volume-io.js';
import { expectOk } from '../violation.js';
import { expectSnap, expectVol, extent, newSnapshot, newVolume, removeSnapshot, removeVolume, type Vol } from './kit.js';

/**
 * Deletes remove exactly what they name. The ids share prefixes on purpose (`a`, `a0`,
 * `a-b`, `a.b`), the way a driver that matches names with a glob, `startsWith` or a
 * regular expression without anchors deletes its neighbours; deleting an unknown id that is
 * a prefix of every other one must touch nothing either.
 */
export async function deletesTouchOnlyTheirTarget(session: Session): Promise<void> {
  const p = session.newRunPrefix('px');
  const vols: Vol[] = [];
  for (const [i, suffix] of ['a', 'a0', 'a-b', 'a.b'].entries()) vols.push(await newVolume(session, `${p}${suffix}`, 1, [extent(12 + i, 701 + i)]));
  const [a, a0, ab, adotb] = vols as [Vol, Vol, Vol, Vol];
  const checkAll = async (live: readonly Vol[], after: string): Promise<void> => {
    for (const v of live) await verifyVolume(session, expectVol(v), `volume ${v.id} after ${after} [${RULES.deleteOnly}]`);
  };
  await removeVolume(session, a);
  await verifyGone(session, a.id, `after deleteVolume(${a.id})`);
  await checkAll([a0, ab, adotb], `deleteVolume(${a.id})`);
  await expectOk(`deleteVolume(${p}) of an unknown id that prefixes every volume of this check`, () => session.driver.deleteVolume({ volume: { id: p, sizeGiB: 1 } }), RULES.deleteIdempotent);
  await checkAll([a0, ab, adotb], `deleteVolume(${p}) of an unknown id`);
  if (session.driver.supports('snapshots')) {
    const s = await newSnapshot(session, `${p}s`, a0);
    const s0 = await newSnapshot(session, `${p}s0`, a0);
    await removeSnapshot(session, s, RULES.snapshotDelete);
    await verifySnapshot(session, expectSnap(s0), `snapshot ${s0.id} after deleteSnapshot(${s.id}) [${RULES.snapshotDelete} — and no other]`);
    await expectOk(`deleteSnapshot(${p}) of an unknown id that prefixes the snapshots`, () => session.driver.deleteSnapshot({ snapshot: { id: p, volumeId: a0.id, sizeGiB: 1 } }), RULES.snapshotDeleteIdempotent);
    await verifySnapshot(session, expectSnap(s0), `snapshot ${s0.id} after deleteSnapshot(${p}) of an unknown id [${RULES.snapshotDelete} — and no other]`);
    await checkAll([a0], 'deleting its snapshots');
    await removeSnapshot(session, s0);
  }
  await removeVolume(session, ab);
  await checkAll([a0, adotb], `deleteVolume(${ab.id})`);
}
