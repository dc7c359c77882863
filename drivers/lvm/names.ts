import { assertValidResourceId } from '../../core/contract/names.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';

/** Characters lvm2 accepts in VG and LV names; a leading '-' would read as an option. */
const LVM_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;

/** Substrings lvm2 reserves for its internal sub-LVs (lvm2 `apply_lvname_restrictions`). */
const RESERVED_PARTS = [
  '_cdata', '_cmeta', '_corig', '_cpool', '_cvol', '_imeta', '_iorig', '_mimage', '_mlog',
  '_pmspare', '_rimage', '_rmeta', '_tdata', '_tmeta', '_vdata', '_vorigin', '_wcorig',
];

/** lvm2 keeps names below 128 bytes (NAME_LEN), and dm names must stay short too. */
const MAX_LV_NAME = 127;

/** Prefix of the LV that holds a managed volume (Cinder's naming). */
export const VOLUME_PREFIX = 'volume-';
/** Prefix of the LV that holds a snapshot (Cinder's naming; a name may not start with "snapshot"). */
export const SNAPSHOT_PREFIX = '_snapshot-';

/** Why `name` is not a valid LV name for lvm2, or undefined when it is. */
export function lvNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_LV_NAME) return `must be 1-${MAX_LV_NAME} characters`;
  if (!LVM_NAME.test(name)) return 'may only contain A-Z a-z 0-9 + _ . - and must not start with "-"';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (name.startsWith('snapshot') || name.startsWith('pvmove')) return 'must not start with "snapshot" or "pvmove"';
  const reserved = RESERVED_PARTS.find((p) => name.includes(p));
  if (reserved) return `must not contain "${reserved}" (reserved by lvm2)`;
  return undefined;
}

/**
 * Throws INVALID_ARGUMENT unless `name` is a valid LV name, so lvm2 never sees (and never
 * half-processes) a name it would reject.
 */
export function assertLvName(name: string, what: string): void {
  const problem = lvNameProblem(name);
  if (problem) {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `${what} gives LV name ${JSON.stringify(name.slice(0, 80))}, which lvm2 rejects: it ${problem}`, field: what } });
  }
}

/** The LV name of volume `id`, validated as a resource id and as an LV name. */
export function volumeLvName(id: string): string {
  assertValidResourceId(id, 'volume id');
  const name = `${VOLUME_PREFIX}${id}`;
  assertLvName(name, 'volume id');
  return name;
}

/** The LV name of snapshot `id`, validated as a resource id and as an LV name. */
export function snapshotLvName(id: string): string {
  assertValidResourceId(id, 'snapshot id');
  const name = `${SNAPSHOT_PREFIX}${id}`;
  assertLvName(name, 'snapshot id');
  return name;
}

/** The volume id of a managed volume's LV name, or undefined. */
export function volumeIdOf(lvName: string): string | undefined {
  return lvName.startsWith(VOLUME_PREFIX) ? lvName.slice(VOLUME_PREFIX.length) : undefined;
}

/** The LV name an unmanaged volume is renamed to, so it no longer looks managed. */
export function unmanagedLvName(id: string): string {
  assertValidResourceId(id, 'volume id');
  const name = `unmanaged-${id}`;
  assertLvName(name, 'volume id');
  return name;
}
