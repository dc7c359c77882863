import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExistingReference, ManageableVolume } from '../../core/contract/index.js';
import { HOSTILE_NAMES } from '../hostile-names.js';
import { RULES } from '../rules.js';
import type { Session } from '../session.js';
import { verifyGone, verifyVolume } from '../volume-io.js';
import { ConformanceViolation, expectCode, expectOk } from '../violation.js';
import { dv, expectVol, extent, newVolume, removeVolume, tailExtent, type Vol } from './kit.js';

const key = (ref: ExistingReference): string => JSON.stringify(ref);

/** Every entry listManageableVolumes reports, page by page. */
async function listAll(session: Session, when: string): Promise<ManageableVolume[]> {
  const out: ManageableVolume[] = [];
  let marker: string | undefined;
  for (;;) {
    const { volumes } = await expectOk(`listManageableVolumes ${when}`, () => session.driver.listManageableVolumes({ marker, limit: 500 }));
    out.push(...volumes);
    const last = volumes.at(-1)?.reference['source-name'];
    if (volumes.length < 500 || last === undefined) return out;
    marker = last;
  }
}

/**
 * Manage and unmanage keep data: the listing never offers a managed volume as safe to
 * manage, a managed volume's own reference cannot be managed a second time, unmanage keeps
 * the data and makes exactly one new object safe to manage, and managing that object gives
 * a volume with the same data, which is then no longer offered.
 */
export async function manageRoundTrip(session: Session): Promise<void> {
  const p = session.newRunPrefix('mg');
  const before = new Set((await listAll(session, 'before the check')).map((e) => key(e.reference)));
  const v = await newVolume(session, `${p}-v`, 1, [extent(24, 901), tailExtent(1, 902)]);
  const listed = await listAll(session, `after creating ${v.id}`);
  for (const e of listed) {
    const mine = e.cinderId === v.id || !before.has(key(e.reference));
    if (mine && e.safeToManage) {
      throw new ConformanceViolation(`listManageableVolumes reports ${key(e.reference)}, which appeared with the managed volume ${v.id}, as safe to manage [${RULES.manageList}]`);
    }
  }
  const own = listed.find((e) => e.cinderId === v.id) ?? listed.find((e) => !before.has(key(e.reference)));
  if (own) {
    const thief = { id: `${p}-t`, sizeGiB: 1 };
    session.tracker.volume(thief);
    await expectCode(`manageExistingGetSize(${key(own.reference)}) of the managed volume ${v.id}`, ['MANAGE_TARGET_NOT_FOUND', 'INVALID_ARGUMENT'], () => session.driver.manageExistingGetSize({ existingRef: own.reference }), RULES.manageRef);
    await expectCode(`manageExisting(${thief.id}, ${key(own.reference)}) of the managed volume ${v.id}`, ['MANAGE_TARGET_NOT_FOUND', 'INVALID_ARGUMENT'], () => session.driver.manageExisting({ volume: thief, existingRef: own.reference }), RULES.manageRef);
    await verifyGone(session, thief.id, 'after a refused manageExisting');
    await verifyVolume(session, expectVol(v), `volume ${v.id} after a refused attempt to manage it again [${RULES.manageRef}]`);
  }
  await expectOk(`unmanage(${v.id})`, () => session.driver.unmanage({ volume: { id: v.id, sizeGiB: v.sizeGiB } }), RULES.unmanage);
  session.tracker.forgetVolume(v.id);
  let pending: ExistingReference | undefined;
  try {
    await verifyGone(session, v.id, `after unmanage(${v.id}): the volume is no longer managed [${RULES.unmanage}]`);
    const freed = (await listAll(session, `after unmanage(${v.id})`)).filter((e) => e.safeToManage && !before.has(key(e.reference)));
    if (freed.length !== 1) {
      throw new ConformanceViolation(`after unmanage(${v.id}), listManageableVolumes offers ${freed.length} new objects safe to manage (${freed.map((e) => key(e.reference)).join(', ') || 'none'}); expected exactly the unmanaged volume [${RULES.unmanage}]`);
    }
    pending = freed[0]!.reference;
    const { sizeGiB } = await expectOk(`manageExistingGetSize(${key(pending)})`, () => session.driver.manageExistingGetSize({ existingRef: pending! }), RULES.manageKeeps);
    if (sizeGiB !== v.sizeGiB) throw new ConformanceViolation(`manageExistingGetSize(${key(pending)}) reports ${sizeGiB} GiB for the unmanaged ${v.sizeGiB} GiB volume ${v.id} [${RULES.unmanage}]`);
    const m: Vol = { id: `${p}-m`, sizeGiB, extents: v.extents };
    session.tracker.volume(dv(m));
    session.tracker.count();
    const res = await expectOk(`manageExisting(${m.id}, ${key(pending)})`, () => session.driver.manageExisting({ volume: { id: m.id, sizeGiB }, existingRef: pending! }), RULES.manageKeeps);
    pending = undefined;
    m.providerLocation = res.providerLocation;
    await verifyVolume(session, expectVol(m), `volume ${m.id} managed from the unmanaged ${v.id} [${RULES.unmanage}; ${RULES.manageKeeps}]`);
    await expectOk(`unmanage(${v.id}) again, now that it is gone`, () => session.driver.unmanage({ volume: { id: v.id, sizeGiB: v.sizeGiB } }), RULES.unmanageGone);
    const still = (await listAll(session, `after manageExisting(${m.id})`)).find((e) => e.safeToManage && !before.has(key(e.reference)));
    if (still) throw new ConformanceViolation(`after manageExisting(${m.id}), listManageableVolumes still offers ${key(still.reference)} as safe to manage [${RULES.manageOnce}]`);
    await removeVolume(session, m);
  } finally {
    // Re-adopt what this check let go, so a failure does not also leave an orphan behind.
    if (pending) {
      const rescue = { id: `${p}-rescue`, sizeGiB: v.sizeGiB };
      session.tracker.volume(rescue);
      await session.driver.manageExisting({ volume: rescue, existingRef: pending }).catch(() => undefined);
    }
  }
}

/**
 * References that name nothing manageable of this backend are refused by the read-only
 * get-size call: hostile names, paths out of the backend (absolute, and `../` runs that
 * resolve to /etc/passwd), and — when commands run on this host — a decoy file the check
 * makes outside the backend, which manageExisting must not adopt either.
 */
export async function hostileReferencesRefused(session: Session): Promise<void> {
  const p = session.newRunPrefix('mr');
  const codes = ['MANAGE_TARGET_NOT_FOUND', 'INVALID_ARGUMENT'] as const;
  const refs: ExistingReference[] = [
    {},
    { 'source-id': 'x' },
    ...[...HOSTILE_NAMES, `${'../'.repeat(16)}etc/passwd`, `..${path.sep}..${path.sep}..${path.sep}..`].map((name) => ({ 'source-name': name })),
  ];
  const local = session.config.transport === undefined || session.config.transport.description === 'local';
  const decoyDir = local ? await mkdtemp(path.join(os.tmpdir(), 'ashlar-conformance-decoy-')) : undefined;
  const decoy = decoyDir ? path.join(decoyDir, 'decoy.img') : undefined;
  const decoyData = Buffer.alloc(1024 * 1024, 0x5a);
  try {
    const decoyRefs = decoy ? [decoy, `${'../'.repeat(16)}${decoy.slice(1)}`].map((name) => ({ 'source-name': name })) : [];
    if (decoy) await writeFile(decoy, decoyData);
    for (const ref of [...refs, ...decoyRefs]) {
      await expectCode(`manageExistingGetSize(${shown(ref)})`, codes, () => session.driver.manageExistingGetSize({ existingRef: ref }), RULES.manageRef);
    }
    for (const [i, ref] of decoyRefs.entries()) {
      const volume = { id: `${p}-d${i}`, sizeGiB: 1 };
      session.tracker.volume(volume);
      await expectCode(`manageExisting(${volume.id}, ${shown(ref)}) of a file outside the backend`, codes, () => session.driver.manageExisting({ volume, existingRef: ref }), RULES.manageRef);
      await verifyGone(session, volume.id, 'after a refused manageExisting');
    }
    if (decoy) {
      const now = await readFile(decoy).catch(() => undefined);
      if (!now?.equals(decoyData)) throw new ConformanceViolation(`the decoy file ${decoy} outside the backend was moved or changed by manage calls [${RULES.manageRef}]`);
    }
    const nothing = { 'source-name': `${p}-nothing` };
    await expectCode(`manageExistingGetSize(${shown(nothing)}) of a name that does not exist`, ['MANAGE_TARGET_NOT_FOUND'], () => session.driver.manageExistingGetSize({ existingRef: nothing }), RULES.manageRef);
    const volume = { id: `${p}-n`, sizeGiB: 1 };
    session.tracker.volume(volume);
    await expectCode(`manageExisting(${volume.id}, ${shown(nothing)}) of a name that does not exist`, ['MANAGE_TARGET_NOT_FOUND'], () => session.driver.manageExisting({ volume, existingRef: nothing }), RULES.manageRef);
    await verifyGone(session, volume.id, 'after a refused manageExisting');
  } finally {
    if (decoyDir) await rm(decoyDir, { recursive: true, force: true });
  }
}

function shown(ref: ExistingReference): string {
  const text = JSON.stringify(ref);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
