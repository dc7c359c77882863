/**
 * The state machines of generic groups and group snapshots. Without a driver `groups`
 * capability the work is done over per-volume operations, so these statuses follow their
 * members (see `refreshGroup`, `refreshGroupSnapshot`); `reset_status` is the one override.
 */
import { defineMachine } from '../state-machine.js';

/** A group's or group snapshot's status. */
export type GroupStatus = 'creating' | 'available' | 'deleting' | 'error' | 'error_deleting';

const STATUSES: readonly GroupStatus[] = ['creating', 'available', 'deleting', 'error', 'error_deleting'];

const TRANSITIONS = {
  creating: ['available', 'error', 'deleting'],
  available: ['deleting'],
  deleting: ['deleting', 'error_deleting'],
  error: ['deleting'],
  error_deleting: ['deleting'],
} as const satisfies Record<GroupStatus, readonly GroupStatus[]>;

/** Statuses a group or group snapshot may be deleted from. */
export const GROUP_DELETABLE: readonly GroupStatus[] = ['available', 'error', 'error_deleting'];

/** The group machine (table volume_groups). */
export const GROUP_STATES = defineMachine<GroupStatus>({ resource: 'group', table: 'volume_groups', statuses: STATUSES, transitions: TRANSITIONS, transitional: ['creating', 'deleting'] });

/** The group snapshot machine. */
export const GROUP_SNAPSHOT_STATES = defineMachine<GroupStatus>({ resource: 'group snapshot', table: 'group_snapshots', statuses: STATUSES, transitions: TRANSITIONS, transitional: ['creating', 'deleting'] });
