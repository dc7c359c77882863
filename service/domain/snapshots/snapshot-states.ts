/** The snapshot state machine. Every change of `snapshots.status` goes through it. */
import { defineMachine } from '../state-machine.js';

/** A snapshot's status. */
export type SnapshotStatus = 'creating' | 'available' | 'restoring' | 'deleting' | 'error' | 'error_deleting';

/** Statuses a snapshot may be deleted from without force. */
export const SNAPSHOT_DELETABLE: readonly SnapshotStatus[] = ['available', 'error', 'error_deleting'];

/** The snapshot machine. */
export const SNAPSHOT_STATES = defineMachine<SnapshotStatus>({
  resource: 'snapshot',
  table: 'snapshots',
  statuses: ['creating', 'available', 'restoring', 'deleting', 'error', 'error_deleting'],
  transitions: {
    creating: ['available', 'error', 'deleting'],
    available: ['deleting', 'restoring'],
    // The volume's revert finishes (or is interrupted): the snapshot is usable again.
    restoring: ['available', 'deleting'],
    deleting: ['deleting', 'error_deleting'],
    error: ['deleting'],
    error_deleting: ['deleting'],
  },
  transitional: ['creating', 'deleting', 'restoring'],
});
