/**
 * The volume state machine (Cinder's statuses). Every change of `volumes.status` goes
 * through {@link transition} with this table; `os-reset_status` is the one override.
 */
import { defineMachine } from '../state-machine.js';

/** A volume's status. */
export type VolumeStatus =
  | 'creating' | 'available' | 'reserved' | 'attaching' | 'in-use' | 'detaching' | 'extending' | 'reverting'
  | 'deleting' | 'maintenance' | 'retyping' | 'backing-up' | 'restoring-backup' | 'downloading' | 'uploading' | 'awaiting-transfer'
  | 'error' | 'error_deleting' | 'error_extending' | 'error_attaching' | 'error_detaching' | 'error_restoring' | 'error_managing';

const STATUSES: readonly VolumeStatus[] = [
  'creating', 'available', 'reserved', 'attaching', 'in-use', 'detaching', 'extending', 'reverting', 'deleting', 'maintenance',
  'retyping', 'backing-up', 'restoring-backup', 'downloading', 'uploading', 'awaiting-transfer',
  'error', 'error_deleting', 'error_extending', 'error_attaching', 'error_detaching', 'error_restoring', 'error_managing',
];

/** Statuses a volume may be deleted from without force (Cinder's list). */
export const VOLUME_DELETABLE: readonly VolumeStatus[] = ['available', 'error', 'error_restoring', 'error_extending', 'error_managing'];

// Force delete (os-force_delete) may start from any status, so every status reaches `deleting`.
const withDelete = (...to: VolumeStatus[]): readonly VolumeStatus[] => [...to, 'deleting'];

/** The volume machine. */
export const VOLUME_STATES = defineMachine<VolumeStatus>({
  resource: 'volume',
  table: 'volumes',
  statuses: STATUSES,
  transitions: {
    creating: withDelete('available', 'error'),
    available: withDelete('extending', 'reserved', 'attaching', 'in-use', 'reverting', 'error', 'maintenance', 'awaiting-transfer'),
    reserved: withDelete('attaching', 'available', 'in-use', 'reserved'),
    attaching: withDelete('in-use', 'available', 'reserved', 'attaching', 'error_attaching'),
    'in-use': withDelete('detaching', 'available', 'extending', 'in-use', 'reserved'),
    detaching: withDelete('available', 'in-use', 'error_detaching'),
    extending: withDelete('available', 'in-use', 'error_extending'),
    reverting: withDelete('available', 'error'),
    // A retried or resumed delete starts again from `deleting`.
    deleting: ['deleting', 'error_deleting'],
    maintenance: withDelete('available'),
    retyping: withDelete('available', 'in-use'),
    'backing-up': withDelete('available', 'in-use'),
    'restoring-backup': withDelete('available', 'error_restoring'),
    downloading: withDelete('available', 'error'),
    uploading: withDelete('available', 'in-use'),
    'awaiting-transfer': withDelete('available'),
    error: withDelete(),
    error_deleting: withDelete(),
    error_extending: withDelete(),
    error_attaching: withDelete('available'),
    error_detaching: withDelete('available', 'in-use'),
    error_restoring: withDelete(),
    error_managing: withDelete(),
  },
  transitional: ['creating', 'deleting', 'extending', 'reverting'],
});
