import { RULES } from '../rules.js';
import type { Session } from '../session.js';
import { verifySnapshot, verifyVolume } from '../volume-io.js';
import { expectOk, expectOkOrCode } from '../violation.js';
import { dv, ds, expectSnap, expectVol, extent, newSnapshot, newVolume, removeSnapshot, removeVolume, tailExtent, write, type Snap, type Vol } from './kit.js';

const GiB = 1024 ** 3;
/** Past 4 GiB, where 32-bit offsets and sizes wrap. */
const DEEP_GiB = 5;

/** Creates a volume from a snapshot (tracked) holding the snapshot's data. */
async function fromSnapshot(session: Session, id: string, s: Snap, sizeGiB: number): Promise<Vol> {
  const v: Vol = { id, sizeGiB, extents: [...s.extents] };
  session.tracker.volume(dv(v));
  session.tracker.count();
  v.providerLocation = (await expectOk(`createVolumeFromSnapshot(${id}, ${sizeGiB} GiB, from ${s.id})`, () => session.driver.createVolumeFromSnapshot({ volume: dv(v), snapshot: ds(s) }), RULES.fromSnapshot)).providerLocation;
  return v;
}

/** Clones a volume (tracked) at its size. */
async function cloneOf(session: Session, id: string, src: Vol): Promise<Vol> {
  const c: Vol = { id, sizeGiB: src.sizeGiB, extents: [...src.extents] };
  session.tracker.volume(dv(c));
  session.tracker.count();
  c.providerLocation = (await expectOk(`createClonedVolume(${id} of ${src.id}, ${src.sizeGiB} GiB)`, () => session.driver.createClonedVolume({ volume: dv(c), source: dv(src) }), RULES.clone)).providerLocation;
  return c;
}

/**
 * The paths random runs reach only on some seeds, fixed: a volume extended past 4 GiB and
 * written beyond its old end and beyond 4 GiB, then snapshotted, cloned, made a volume from,
 * reverted to a snapshot from before the extend; a lineage four generations deep
 * (snapshot → volume → snapshot → volume → clone) across restarts; everything checked after
 * each step and after deletes in lineage order. A backend that cannot hold 5 GiB
 * (INSUFFICIENT_CAPACITY) is checked at 2 GiB instead.
 */
export async function deepPathsHold(session: Session): Promise<void> {
  const p = session.newRunPrefix('dp');
  const d = session.driver;
  const v = await newVolume(session, `${p}-v`, 1, [extent(2, 1601), tailExtent(1, 1602)]);
  const early = d.supports('snapshots') ? await newSnapshot(session, `${p}-s0`, v) : undefined;
  const grown = await expectOkOrCode(`extendVolume(${v.id}, 1 → ${DEEP_GiB} GiB)`, ['INSUFFICIENT_CAPACITY'], () => d.extendVolume({ volume: dv(v), newSizeGiB: DEEP_GiB }), RULES.extend);
  v.sizeGiB = grown ? DEEP_GiB : 2;
  if (!grown) await expectOk(`extendVolume(${v.id}, 1 → 2 GiB)`, () => d.extendVolume({ volume: dv(v), newSizeGiB: 2 }), RULES.extend);
  const beyond = [{ offset: GiB + 4096, length: 4096, fill: 1603 }, ...(grown ? [{ offset: 4 * GiB + 8192, length: 8192, fill: 1604 }] : []), tailExtent(v.sizeGiB, 1605)];
  for (const e of beyond) await write(session, v, e);
  await verifyVolume(session, expectVol(v), `volume ${v.id} written beyond its old end after extendVolume [${RULES.extend}]`);
  const family: Vol[] = [v];
  if (d.supports('clone')) family.push(await cloneOf(session, `${p}-c`, v));
  let s1: Snap | undefined;
  if (early) {
    s1 = await newSnapshot(session, `${p}-s1`, v);
    family.push(await fromSnapshot(session, `${p}-f`, s1, v.sizeGiB));
  }
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  for (const x of family) await verifyVolume(session, expectVol(x), `volume ${x.id} of an extended ${v.sizeGiB} GiB lineage after a restart [${x === v ? RULES.extend : x.id.endsWith('-c') ? RULES.clone : RULES.fromSnapshot}]`);
  if (early && s1) {
    await deepLineage(session, p, family.at(-1)!, s1);
    if (d.supports('revertToSnapshot')) {
      await expectOk(`revertToSnapshot(${v.id} (${v.sizeGiB} GiB) to ${early.id}, taken at 1 GiB before the extend)`, () => d.revertToSnapshot({ volume: dv(v), snapshot: ds(early) }), RULES.revert);
      v.extents = [...early.extents];
      const reason = `data written after ${early.id} survives: revertToSnapshot(${v.id} to ${early.id}) did not restore it over the extended volume`;
      await verifyVolume(session, { ...expectVol(v, beyond), probeReason: reason }, `volume ${v.id} after revertToSnapshot(${v.id} to ${early.id}) across an extend [${RULES.revert}]`);
    }
    await verifySnapshot(session, expectSnap(s1), `snapshot ${s1.id} at the end [${RULES.snapshotFrozen}]`);
    await removeSnapshot(session, s1, RULES.snapshotDelete);
  }
  for (const x of family.slice(1)) await verifyVolume(session, expectVol(x), `volume ${x.id} after its source was reverted [${RULES.clone}; ${RULES.fromSnapshot}]`);
}

/** Three more generations below `base` (taken from `s1`): volume → snapshot → volume → clone, a restart in between. */
async function deepLineage(session: Session, p: string, base: Vol, s1: Snap): Promise<void> {
  await write(session, base, extent(7, 1610));
  const s2 = await newSnapshot(session, `${p}-s2`, base);
  const g = await fromSnapshot(session, `${p}-g`, s2, base.sizeGiB + 1);
  await write(session, g, { offset: base.sizeGiB * GiB + 4096, length: 4096, fill: 1611 });
  const k = session.driver.supports('clone') ? await cloneOf(session, `${p}-k`, g) : undefined;
  await expectOk('restart (new driver instance, checkSetup)', () => session.restart(), RULES.restart);
  await removeSnapshot(session, s2, RULES.snapshotDelete);
  for (const x of [g, ...(k ? [k] : [])]) await verifyVolume(session, expectVol(x), `volume ${x.id}, four generations below ${s1.id}, after a restart and deleteSnapshot(${s2.id}) [${RULES.fromSnapshot}; ${RULES.restart}]`);
  await removeVolume(session, g, RULES.deleteOnly);
  if (k) await verifyVolume(session, expectVol(k), `clone ${k.id} after its source ${g.id} was deleted [${RULES.clone}]`);
  await verifyVolume(session, expectVol(base), `volume ${base.id} after volumes made from its snapshot were deleted [${RULES.snapshotDelete}]`);
}
