import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumesTable } from '../../db/tables.js';
import { enqueueWork } from '../../manager/work.js';
import type { DomainDeps } from '../deps.js';
import { checkQuota } from '../quotas.js';
import { transition } from '../state-machine.js';
import { VOLUME_STATES, type VolumeStatus } from './volume-states.js';

/**
 * Starts growing a volume to `newSize` GiB: checks the size and the quota, moves the volume
 * to `extending` and queues the work in one transaction. In-use volumes may be extended
 * from microversion 3.42.
 *
 * @throws BAD_REQUEST for a size that does not grow the volume; INVALID_STATE; QUOTA_EXCEEDED.
 */
export async function extendVolume(deps: DomainDeps, ctx: RequestContext, v: VolumesTable, requested: number | string, allowInUse: boolean): Promise<void> {
  const newSize = Number(requested);
  if (!Number.isInteger(newSize) || newSize <= v.size) {
    throw new AshlarError('BAD_REQUEST', { details: { reason: `New size for extend must be greater than current size. (current: ${v.size}, extended: ${String(requested)}).` } });
  }
  const from: VolumeStatus[] = allowInUse ? ['available', 'in-use'] : ['available'];
  const { db, config } = deps;
  const work = await db.transaction().execute(async (trx) => {
    await checkQuota(trx, config.database.kind, v.project_id, config.quota, { gigabytes: newSize - v.size }, newSize);
    await transition(trx, VOLUME_STATES, { row: v, from, to: 'extending', action: 'extend' });
    return enqueueWork(trx, { host: v.host!.split('@')[0]!, resourceType: 'volume', resourceId: v.id, operation: 'extend_volume', args: { newSize, returnStatus: v.status }, requestId: ctx.requestId, projectId: v.project_id });
  });
  deps.submit(work);
}
