import { assertValidResourceId, isValidResourceId } from '../../core/contract/names.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';

/** Prefix of the images that hold volumes; anything else in the pool is not ours. */
export const VOLUME_PREFIX = 'volume-';
/** Prefix of user-visible snapshots. */
export const SNAPSHOT_PREFIX = 'snapshot-';
/**
 * Prefix of the short-lived snapshot a volume-to-volume clone is made from. It is removed
 * right after the clone (clone format 2 then keeps it in the trash namespace while the
 * clone depends on it), so only a crash mid-clone leaves one behind.
 */
export const CLONE_SNAPSHOT_PREFIX = 'clone-';
/** Prefix of an image that was unmanaged: a neutral name any later manage call may adopt. */
export const UNMANAGED_PREFIX = 'unmanaged-';

/** The image of a volume; validates the id first so nothing hostile reaches argv. */
export function volumeImage(id: string): string {
  assertValidResourceId(id, 'volume id');
  return `${VOLUME_PREFIX}${id}`;
}

/** The snapshot name of a snapshot id. */
export function snapshotName(id: string): string {
  assertValidResourceId(id, 'snapshot id');
  return `${SNAPSHOT_PREFIX}${id}`;
}

/** The temporary snapshot a clone into volume `targetId` is made from. */
export function cloneSnapshotName(targetId: string): string {
  assertValidResourceId(targetId, 'volume id');
  return `${CLONE_SNAPSHOT_PREFIX}${targetId}`;
}

/** `pool/image` or `pool/image@snap`, the spec the rbd CLI takes. */
export function spec(pool: string, image: string, snap?: string): string {
  return snap === undefined ? `${pool}/${image}` : `${pool}/${image}@${snap}`;
}

/** The volume id an image name holds, or undefined for images that are not volumes. */
export function volumeIdOfImage(image: string): string | undefined {
  if (!image.startsWith(VOLUME_PREFIX)) return undefined;
  const id = image.slice(VOLUME_PREFIX.length);
  return isValidResourceId(id) ? id : undefined;
}

/** Image names Ashlar passes to rbd: no '/', '@', whitespace or leading '-' (which rbd would read as an option). */
const MANAGEABLE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+=~-]{0,254}$/;

/** True when an existing image's name is safe to put on an rbd command line. */
export function isManageableName(name: string): boolean {
  return MANAGEABLE_NAME.test(name);
}

/**
 * The image a manage reference names (`source-name`).
 *
 * @throws INVALID_ARGUMENT when the reference has no usable source-name.
 */
export function manageSourceName(ref: Readonly<Record<string, string>>): string {
  const name = ref['source-name'];
  if (typeof name !== 'string' || !isManageableName(name)) {
    throw new AshlarError('INVALID_ARGUMENT', {
      details: { reason: `existing reference needs a "source-name" naming an RBD image (letters, digits, _ . + = ~ -), got ${JSON.stringify(name ?? null)}`, field: 'source-name' },
    });
  }
  return name;
}
