/**
 * The explicit state machines of volumes, snapshots and attachments. Every status change
 * goes through a compare-and-set on the database row (see {@link StatusStore}) whose
 * `from` set must be allowed here, so two requests (or two processes) can never both win a
 * transition and no code path invents one.
 */

/** Volume transitions: from → allowed next statuses. */
export const VOLUME_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  creating: ['available', 'error'],
  available: ['deleting', 'extending', 'reserved', 'attaching', 'in-use', 'reverting', 'error', 'maintenance'],
  reserved: ['attaching', 'available', 'in-use', 'deleting'],
  attaching: ['in-use', 'available', 'error_attaching', 'reserved'],
  'in-use': ['detaching', 'available', 'extending', 'in-use', 'attaching', 'reserved'],
  detaching: ['available', 'in-use', 'error_detaching'],
  extending: ['available', 'in-use', 'error_extending'],
  reverting: ['available', 'error'],
  deleting: ['error_deleting'],
  error: ['deleting'],
  error_deleting: ['deleting'],
  error_extending: ['deleting'],
  error_attaching: ['deleting', 'available'],
  error_detaching: ['deleting', 'available'],
  maintenance: ['available', 'deleting'],
};

/** Snapshot transitions. */
export const SNAPSHOT_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  creating: ['available', 'error'],
  available: ['deleting', 'restoring'],
  restoring: ['available'],
  deleting: ['error_deleting'],
  error: ['deleting'],
  error_deleting: ['deleting'],
};

/** Statuses the volume manager drives; after a restart none may remain without work in progress. */
export const VOLUME_TRANSITIONAL = ['creating', 'deleting', 'extending', 'reverting'] as const;
/** Snapshot statuses the volume manager drives. */
export const SNAPSHOT_TRANSITIONAL = ['creating', 'deleting', 'restoring'] as const;

/** Statuses from which a volume may be deleted without force. */
export const VOLUME_DELETABLE = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'] as const;

/** True when the machine allows every `from` → `to`. */
export function allowed(machine: Readonly<Record<string, readonly string[]>>, from: readonly string[], to: string): boolean {
  return from.every((f) => machine[f]?.includes(to) ?? false);
}
