import type { Kysely } from 'kysely';
import type { Database, VolumesTable } from '../../db/tables.js';
import { resetStatus } from '../state-machine.js';
import { VOLUME_STATES } from './volume-states.js';

/** What os-reset_status may set. */
export interface VolumeStatusReset {
  readonly status?: string;
  readonly attach_status?: string;
  readonly migration_status?: string | null;
}

/**
 * os-reset_status (admin): sets the status fields without touching the backend — the one
 * write that bypasses the volume state machine's table, as Cinder's reset does.
 *
 * @throws BAD_REQUEST for a status the volume machine does not know.
 */
export async function resetVolumeStatus(db: Kysely<Database>, v: VolumesTable, reset: VolumeStatusReset): Promise<void> {
  const set: Partial<VolumesTable> = {};
  if (reset.attach_status) set.attach_status = reset.attach_status;
  if ('migration_status' in reset) set.migration_status = reset.migration_status ?? null;
  await resetStatus(db, VOLUME_STATES, v.id, reset.status ?? v.status, set);
}
