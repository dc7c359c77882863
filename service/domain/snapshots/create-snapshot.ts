import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { SnapshotsTable, VolumesTable } from '../../db/tables.js';
import { enqueueWork } from '../../manager/work.js';
import { newId, now } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { checkQuota } from '../quotas.js';

/** What a new snapshot asks for. */
export interface SnapshotRequest {
  readonly name: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  /** Snapshot an in-use volume too. */
  readonly force: boolean;
  /** The group snapshot this snapshot is part of. */
  readonly groupSnapshotId?: string;
}

/**
 * Starts a snapshot of a volume: checks the volume's status and the quota, records the
 * snapshot as `creating` and queues the work, in one transaction.
 *
 * @throws INVALID_STATE unless the volume is available (or in-use with force); QUOTA_EXCEEDED.
 */
export async function createSnapshot(deps: DomainDeps, ctx: RequestContext, v: VolumesTable, req: SnapshotRequest): Promise<SnapshotsTable> {
  const okStatus = req.force ? ['available', 'in-use'] : ['available'];
  if (!okStatus.includes(v.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume ${v.id} status must be ${okStatus.join(' or ')}, not ${v.status}.` } });
  const row: SnapshotsTable = {
    id: newId(), project_id: ctx.projectId, user_id: ctx.userId, volume_id: v.id, name: req.name, description: req.description, size: v.size,
    status: 'creating', progress: '0%', provider_location: null, metadata: JSON.stringify(req.metadata), created_at: now(), updated_at: null,
    ...(req.groupSnapshotId ? { group_snapshot_id: req.groupSnapshotId } : {}),
  };
  const { db, config } = deps;
  const work = await db.transaction().execute(async (trx) => {
    await checkQuota(trx, config.database.kind, ctx.projectId, config.quota, { snapshots: 1, gigabytes: v.size });
    await trx.insertInto('snapshots').values(row).execute();
    return enqueueWork(trx, { host: v.host!.split('@')[0]!, resourceType: 'snapshot', resourceId: row.id, operation: 'create_snapshot', args: { source: { kind: 'volume', id: v.id } }, requestId: ctx.requestId, projectId: row.project_id });
  });
  deps.submit(work);
  return row;
}
