import type { ManageableVolume } from '../../core/contract/index.js';
import { SNAPSHOT_PREFIX, volumeIdOf } from './names.js';
import { isCowSnapshot, type LvInfo } from './report.js';

const GiB = 1024 ** 3;

/** What kind of LVs this backend manages. */
export interface ManagedKind {
  readonly thin: boolean;
  readonly pool: string;
}

/** True for LVs that are never volumes: hidden sub-LVs, pools, snapshots. */
export function isVolumeLike(lv: LvInfo, kind: ManagedKind): boolean {
  if (lv.name.startsWith('[') || lv.kind === 'thin-pool' || lv.kind === 'other' || lv.name === kind.pool) return false;
  return !isCowSnapshot(lv) && !lv.name.startsWith(SNAPSHOT_PREFIX);
}

/** Why `lv` cannot be managed by this backend, or undefined when it can. */
export function notManageableReason(lv: LvInfo, kind: ManagedKind): string | undefined {
  if (volumeIdOf(lv.name) !== undefined) return 'already managed';
  if (kind.thin && lv.pool !== kind.pool) return `not a thin LV of pool ${kind.pool}`;
  if (!kind.thin && lv.kind === 'thin') return 'a thin LV; this backend is thick';
  if (!kind.thin && lv.attr.startsWith('o')) return 'has classic snapshots';
  if (lv.open) return 'in use';
  return undefined;
}

/** The manage listing entry of one LV. */
export function manageableEntry(lv: LvInfo, kind: ManagedKind): ManageableVolume {
  const sizeGiB = Math.max(1, Math.ceil(lv.sizeBytes / GiB));
  const reference = { 'source-name': lv.name };
  const cinderId = volumeIdOf(lv.name);
  const reason = notManageableReason(lv, kind);
  if (reason === undefined) return { reference, sizeGiB, safeToManage: true };
  return { reference, sizeGiB, safeToManage: false, reasonNotSafe: reason, ...(cinderId === undefined ? {} : { cinderId }) };
}
