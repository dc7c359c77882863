import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import type { VolumesTable } from '../../db/tables.js';
import { attachmentsOfVolume } from '../../db/repositories/volumes.js';
import type { DomainDeps } from '../deps.js';
import { settleTo } from '../state-machine.js';
import { backendOf } from './backend-of.js';
import { toDriverVolume } from './to-driver-volume.js';
import { VOLUME_STATES } from './volume-states.js';

/**
 * os-force_detach (admin): removes the named attachment (or all), revoking access on a
 * best-effort basis as Cinder does: the records go even when the backend refuses. The
 * volume becomes available when no attachment is left.
 *
 * @throws NOT_FOUND for an attachment id the volume does not have.
 */
export async function forceDetach(deps: DomainDeps, v: VolumesTable, attachmentId: string | null | undefined): Promise<void> {
  const { db } = deps;
  const rows = await attachmentsOfVolume(db, v.id);
  const targets = attachmentId ? rows.filter((a) => a.id === attachmentId) : rows;
  if (attachmentId && targets.length === 0) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume attachment', id: attachmentId } });
  for (const a of targets) {
    const connector = a.connector ? (JSON.parse(a.connector) as ConnectorProperties) : undefined;
    if (connector && deps.backends?.owns(v.host)) {
      await backendOf(deps, v.host).driver.terminateConnection({ volume: await toDriverVolume(db, v), connector }).catch(() => undefined);
    }
  }
  await db.transaction().execute(async (trx) => {
    if (targets.length > 0) await trx.deleteFrom('attachments').where('id', 'in', targets.map((a) => a.id)).execute();
    if (rows.length - targets.length > 0) return;
    // The last attachment went: the volume is available again where the machine allows it
    // from its status (in-use, attaching, detaching, ...); in any other status (available
    // already, error, maintenance) only the attach status changes.
    await settleTo(trx, VOLUME_STATES, v, 'available', 'force_detach', { attach_status: 'detached' });
  });
}
