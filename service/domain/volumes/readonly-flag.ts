import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { Database, VolumesTable } from '../../db/tables.js';
import { mergeAux } from './aux-metadata.js';

/**
 * os-update_readonly_flag: later attachments of the volume are read-only (kept in the
 * volume's admin metadata, as Cinder does).
 *
 * @throws INVALID_STATE unless the volume is available.
 */
export async function setReadonlyFlag(db: Kysely<Database>, v: VolumesTable, readonly: boolean): Promise<void> {
  if (v.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} status must be available to update readonly flag, but current status is: ${v.status}.` } });
  await mergeAux(db, 'admin', v.id, { readonly: readonly ? 'True' : 'False' });
}
