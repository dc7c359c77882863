import { RULES } from '../rules.js';
import type { Session } from '../session.js';
import { verifyGone, verifyVolume } from '../volume-io.js';
import { expectOk } from '../violation.js';
import { dv, expectVol, extent, newVolume, removeVolume, type Vol } from './kit.js';

/** The longest id the contract allows. */
const MAX_ID = 64;

/**
 * Groups of valid ids that differ only in a way a backend's naming may fold together:
 * case, `.`/`_`/`-`, a cut at 64 or at 32 characters (common backend name limits), a
 * leading zero, one id the prefix of another.
 */
export function lookAlikeGroups(p: string): string[][] {
  const pad = (base: string, to: number): string => base + 'x'.repeat(Math.max(0, to - base.length));
  const long = pad(`${p}-`, MAX_ID - 1);
  const cut32 = pad(`${p}-`, 32);
  return [
    [`${p}-Case`, `${p}-cASE`, `${p}-case`],
    [`${p}-a.b`, `${p}-a_b`, `${p}-a-b`],
    [`${long}1`, `${long}2`],
    [`${cut32}1`, `${cut32}2`],
    [`${p}-7`, `${p}-07`],
    [`${p}-px`, `${p}-px0`],
  ];
}

/**
 * Ids that look alike name different volumes: every member of a group is created (a
 * VOLUME_EXISTS means the backend folded two ids into one name), written at the same offset
 * with its own data and read back; then one member per group is deleted — the others keep
 * their data — and re-created at once with another size: it reads as zeros, with no trace
 * of the volume that had the id a moment ago.
 */
export async function lookAlikeIdsStayApart(session: Session): Promise<void> {
  const p = session.newRunPrefix('la');
  const groups: Vol[][] = [];
  let fill = 1500;
  for (const ids of lookAlikeGroups(p)) {
    const group: Vol[] = [];
    for (const id of ids) {
      const others = group.map((v) => v.id).join(', ');
      const what = others ? ` while only ${others} exist${group.length > 1 ? '' : 's'} [${RULES.distinctIds}]` : '';
      group.push(await newVolume(session, id, 1, [extent(5, fill++)], {}, what));
    }
    groups.push(group);
  }
  for (const group of groups) {
    for (const v of group) {
      const probes = group.filter((o) => o !== v).flatMap((o) => o.extents);
      await verifyVolume(session, { ...expectVol(v, probes), probeReason: `data written to a look-alike id shows through` }, `volume ${v.id} beside ${group.filter((o) => o !== v).map((o) => o.id).join(', ')} [${RULES.distinctIds}]`);
    }
  }
  for (const [first, ...rest] of groups) {
    await removeVolume(session, first!, RULES.deleteOnly);
    for (const v of rest) await verifyVolume(session, expectVol(v), `volume ${v.id} after deleteVolume(${first!.id}) [${RULES.distinctIds}]`);
    await verifyGone(session, first!.id, `after deleteVolume(${first!.id})`);
    const again = await newVolume(session, first!.id, 2);
    const old = first!.extents;
    await verifyVolume(session, { ...expectVol(again, old), probeReason: `data of the volume deleted a moment ago under this id shows through` }, `volume ${again.id} re-created right after its delete [${RULES.idReuse}]`);
    await expectOk(`deleteVolume(${again.id}) of the re-created volume`, () => session.driver.deleteVolume({ volume: dv(again) }), RULES.deleteOnly);
    session.tracker.forgetVolume(again.id);
    for (const v of rest) await verifyVolume(session, expectVol(v), `volume ${v.id} after its look-alike ${again.id} was re-created and deleted [${RULES.distinctIds}]`);
  }
}
