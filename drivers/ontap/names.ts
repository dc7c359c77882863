import { createHash } from 'node:crypto';
import { assertValidResourceId } from '../../core/contract/names.js';

/** The LUN (file) name of a volume inside its FlexVol. */
export function lunName(volumeId: string): string {
  assertValidResourceId(volumeId, 'volume id');
  return `volume-${volumeId}`;
}

/** The name an unmanaged volume's LUN is given, so it is no longer found as the volume. */
export function unmanagedName(volumeId: string): string {
  assertValidResourceId(volumeId, 'volume id');
  return `unmanaged-${volumeId}`;
}

/** The FlexVol snapshot that holds a snapshot. */
export function snapshotName(snapshotId: string): string {
  assertValidResourceId(snapshotId, 'snapshot id');
  return `snapshot-${snapshotId}`;
}

/** The volume id a managed LUN name stands for, if it is one. */
export function volumeIdOf(lun: string): string | undefined {
  return /^volume-(.+)$/.exec(lun)?.[1];
}

/** `/vol/<flexvol>/<lun>` */
export function lunPath(flexvol: string, lun: string): string {
  return `/vol/${flexvol}/${lun}`;
}

/** Splits `/vol/<flexvol>/<lun>`; undefined for anything else. */
export function splitLunPath(path: string): { flexvol: string; lun: string } | undefined {
  const m = /^\/vol\/([^/]+)\/([^/]+)$/.exec(path);
  return m === null ? undefined : { flexvol: m[1]!, lun: m[2]! };
}

/**
 * The igroup of one host (connector host name + initiator): deterministic, so concurrent
 * driver instances (active-active) serving the same host converge on one igroup instead of
 * racing to create two. Per host, not per initiator, so two attachments that share an
 * initiator (multiattach on one machine) hold separate maps and detach independently.
 */
export function igroupName(host: string, initiator: string): string {
  return `ashlar-${createHash('sha256').update(`${host}\n${initiator}`).digest('hex').slice(0, 20)}`;
}
