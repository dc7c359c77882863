import { connect } from '../../core/connectors/index.js';
import type { ConnectionInfo } from '../../core/contract/types.js';
import { extentBytes, expectedBytes } from '../data.js';
import { RULES } from '../rules.js';
import type { Session } from '../session.js';
import { attach, detach, verifyGone, verifySnapshot, verifyVolume } from '../volume-io.js';
import { ConformanceViolation, expectOk } from '../violation.js';
import { dv, expectSnap, expectVol, extent, newSnapshot, newVolume, removeSnapshot, removeVolume, tailExtent, write } from './kit.js';

const GiB = 1024 ** 3;

/**
 * New volumes read as zeros, also where a volume deleted just before held data: a driver
 * that recycles images or extents without clearing them fails here.
 */
export async function newVolumesReadZeros(session: Session): Promise<void> {
  const p = session.newRunPrefix('nz');
  const data = [extent(0, 1001), extent(64, 1002), extent(512, 1003), tailExtent(1, 1004)];
  const old = await newVolume(session, `${p}-old`, 1, data);
  await removeVolume(session, old);
  const fresh = await newVolume(session, `${p}-new`, 1);
  await verifyVolume(session, { ...fresh, probes: data, probeReason: `data of the deleted volume ${old.id} shows through` }, `new volume ${fresh.id} created right after ${old.id} was deleted [${RULES.createFresh}]`);
}

/**
 * Ids at the edges of the contract's pattern work like any other: 64 characters, a leading
 * digit, upper case, `.` `_` `-` — for volumes and snapshots through a whole cycle.
 */
export async function edgeIdsWork(session: Session): Promise<void> {
  const p = session.newRunPrefix('ei');
  const ids = [`${p}-${'L'.repeat(63 - p.length)}`, `9${p}.Up_x-y`];
  for (const [i, id] of ids.entries()) {
    const v = await newVolume(session, id, 1, [extent(40 + i, 1101 + i)]);
    await verifyVolume(session, expectVol(v), `volume with the valid id "${id}" (${id.length} characters) [${RULES.names}]`);
    if (session.driver.supports('snapshots')) {
      const s = await newSnapshot(session, `${ids[1 - i]!.slice(0, 63)}s`.slice(-64), v);
      await verifySnapshot(session, expectSnap(s), `snapshot with the valid id "${s.id}" [${RULES.names}]`);
      await removeSnapshot(session, s);
    }
    await expectOk(`extendVolume(${id}, 1 → 2 GiB)`, () => session.driver.extendVolume({ volume: dv(v), newSizeGiB: 2 }), RULES.extend);
    v.sizeGiB = 2;
    await verifyVolume(session, expectVol(v), `volume "${id}" after extendVolume`);
    await removeVolume(session, v);
    await verifyGone(session, id, `after deleting "${id}"`);
  }
}

/** Hosts the multiattach check attaches at once. */
const HOSTS = 3;

/**
 * A volume attached to several hosts (multiattach): each host's connection info works, a
 * write through one reads back through the others, and after each host detaches, every host
 * still attached opens its data path anew from the connection info it was given (as a host
 * reconnecting after a network blip would) and reads and writes through it: one host's
 * terminate must revoke that host only.
 */
export async function multiattachWorks(session: Session): Promise<void> {
  const p = session.newRunPrefix('ma');
  const v = await newVolume(session, `${p}-v`, 1, [extent(50, 1201)], { multiattach: true });
  const volume = dv(v);
  const hosts = Array.from({ length: HOSTS }, (_, i) => (i === 0 ? session.connector : { ...session.connector, host: `${session.connector.host}-${i + 1}` }));
  const infos: ConnectionInfo[] = [];
  for (const [i, connector] of hosts.entries()) {
    const what = i === 0 ? `initializeConnection(${v.id}) for host 1` : `initializeConnection(${v.id}) for host ${i + 1} while ${i} other host(s) are attached`;
    infos.push((await expectOk(what, () => session.driver.initializeConnection({ volume, connector }), RULES.multiattach)).connectionInfo);
  }
  let fill = 1202;
  const useAll = async (live: readonly number[], after: string): Promise<void> => {
    for (const i of live) {
      const conn = await expectOk(`host ${i + 1} opening its data path to ${v.id} again ${after}`, () => connect(infos[i]!, { executor: session.instance.executor }), after === '' ? RULES.multiattach : RULES.detachOthers);
      try {
        const E = extent(60 + i, fill++);
        await conn.write(E.offset, extentBytes(E));
        v.extents.push(E);
        for (const e of v.extents.slice(-HOSTS - 1)) {
          const seen = await conn.read(e.offset, e.length);
          const rule = after === '' ? RULES.multiattach : RULES.detachOthers;
          if (!seen.equals(expectedBytes(v.extents, e.offset, e.length))) throw new ConformanceViolation(`host ${i + 1} of the multiattached volume ${v.id} reads wrong data at ${e.offset} ${after || 'while every host is attached'} [${rule}]`);
        }
      } finally {
        await conn.close();
      }
    }
  };
  const live = hosts.map((_, i) => i);
  await useAll(live, '');
  while (live.length > 0) {
    const gone = live.shift()!;
    await expectOk(`terminateConnection(${v.id}) for host ${gone + 1}`, () => session.driver.terminateConnection({ volume, connector: hosts[gone]! }), RULES.terminate);
    await useAll(live, `after host ${gone + 1} detached`);
  }
  await verifyVolume(session, expectVol(v), `volume ${v.id} after every host detached`);
}

/**
 * Extending an attached volume (onlineExtend): it succeeds while a host holds the volume,
 * the data stays, and a new connection sees the new size.
 */
export async function onlineExtendWorks(session: Session): Promise<void> {
  const p = session.newRunPrefix('oe');
  const v = await newVolume(session, `${p}-v`, 1, [extent(70, 1301), tailExtent(1, 1302)]);
  const conn = await attach(session, dv(v), 'attached host');
  try {
    await expectOk(`extendVolume(${v.id}, 1 → 2 GiB) while it is attached`, () => session.driver.extendVolume({ volume: dv(v), newSizeGiB: 2 }), RULES.onlineExtend);
    v.sizeGiB = 2;
    const E = extent(80, 1303);
    await conn.write(E.offset, extentBytes(E));
    v.extents.push(E);
  } finally {
    await detach(session, { id: v.id, sizeGiB: v.sizeGiB }, conn, 'attached host');
  }
  if (v.sizeGiB !== 2) return;
  await verifyVolume(session, expectVol(v), `volume ${v.id} after an online extend to 2 GiB`);
  await write(session, v, { offset: 2 * GiB - 4096, length: 4096, fill: 1304 });
  await verifyVolume(session, expectVol(v), `volume ${v.id} after a write to its new tail`);
}
