import type { Session } from '../session.js';
import { RULES } from '../rules.js';
import { verifyExists, verifyGone, verifyVolume } from '../volume-io.js';
import { expectCode, expectOkOrCode } from '../violation.js';
import { dv, ds, expectVol, extent, newSnapshot, newVolume, rawDriver } from './kit.js';

const PiB_IN_GiB = 1048576;
const BAD_SIZES: readonly number[] = [0, -1, 1.5, Number.NaN, 1048577];

/**
 * Sizes of clones and volumes from snapshots are checked like plain creates (straight to
 * the raw driver, the wrapper would refuse them first): malformed sizes and sizes below the
 * source's are INVALID_ARGUMENT, and nothing is created.
 */
export async function derivedSizesRefused(session: Session): Promise<void> {
  const raw = rawDriver(session);
  const p = session.newRunPrefix('ds');
  const source = await newVolume(session, `${p}-v`, 2, [extent(16, 801)]);
  const signal = (): AbortSignal => AbortSignal.timeout(60_000);
  const attempt = async (what: string, id: string, sizeGiB: number, call: (volume: { id: string; sizeGiB: number }) => Promise<unknown>, rule: string): Promise<void> => {
    const volume = { id, sizeGiB };
    session.tracker.volume({ id, sizeGiB: 1 });
    await expectCode(`${what} with sizeGiB ${String(sizeGiB)}`, ['INVALID_ARGUMENT'], () => call(volume), rule);
    await verifyGone(session, id, `after a refused ${what}`);
  };
  // Below the source's size first: the derived-size rule, before the plain malformed sizes.
  const sizes = [1, ...BAD_SIZES];
  if (session.driver.supports('clone')) {
    for (const [i, size] of sizes.entries()) {
      await attempt(`createClonedVolume of the 2 GiB ${source.id}`, `${p}-c${i}`, size, (volume) => raw.createClonedVolume!({ volume, source: dv(source), signal: signal() }), size === 1 ? RULES.cloneSize : RULES.createSize);
    }
  }
  if (session.driver.supports('snapshots')) {
    const s = await newSnapshot(session, `${p}-s`, source);
    for (const [i, size] of sizes.entries()) {
      await attempt(`createVolumeFromSnapshot of the 2 GiB ${s.id}`, `${p}-f${i}`, size, (volume) => raw.createVolumeFromSnapshot!({ volume, snapshot: ds(s), signal: signal() }), size === 1 ? RULES.fromSnapshotSize : RULES.createSize);
    }
  }
  await verifyVolume(session, expectVol(source), `source ${source.id} after refused creates`);
}

/**
 * A create or extend to 1 PiB either really happens (the data path sees 1 PiB) or fails
 * with INSUFFICIENT_CAPACITY leaving things as they were: a driver that swallows its
 * capacity error and answers success fails here.
 */
export async function hugeSizesAreReal(session: Session): Promise<void> {
  const p = session.newRunPrefix('hg');
  const huge = { id: `${p}-huge`, sizeGiB: PiB_IN_GiB };
  session.tracker.volume(huge);
  if (await expectOkOrCode('createVolume of 1 PiB', ['INSUFFICIENT_CAPACITY'], () => session.driver.createVolume({ volume: huge }), RULES.capacity)) {
    await verifyExists(session, { ...huge, extents: [] }, `volume ${huge.id} after createVolume of 1 PiB reported success [${RULES.capacity}]`);
  } else {
    await verifyGone(session, huge.id, `after createVolume of 1 PiB failed [${RULES.capacity}]`);
  }
  const v = await newVolume(session, `${p}-v`, 1, [extent(20, 802)]);
  if (await expectOkOrCode(`extendVolume(${v.id}) to 1 PiB`, ['INSUFFICIENT_CAPACITY'], () => session.driver.extendVolume({ volume: dv(v), newSizeGiB: PiB_IN_GiB }), RULES.capacity)) {
    v.sizeGiB = PiB_IN_GiB;
    await verifyExists(session, expectVol(v), `volume ${v.id} after extendVolume to 1 PiB reported success [${RULES.capacity}]`);
  } else {
    await verifyVolume(session, expectVol(v), `volume ${v.id} after extendVolume to 1 PiB failed [${RULES.capacity}]`);
  }
}
