import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumesTable } from '../../db/tables.js';
import { MessageRecorder } from '../../manager/messages.js';
import { enqueueWork } from '../../manager/work.js';
import { newId, now, parseMap, toBool } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { defaultType, usableType, visibleSnapshot, visibleVolume } from '../lookup.js';
import { groupForNewVolume } from '../groups/group-membership.js';
import { checkQuota } from '../quotas.js';

/** A create request as Cinder's API spells it (`POST /volumes`'s `volume` object). */
export type VolumeCreateRequest = Record<string, unknown> & { metadata?: Record<string, string> | null };

/** How the service itself creates a volume (not a request field). */
export interface CreateVolumeOptions {
  /** Put the volume in this group without the membership checks of a request (create-from-src of groups). */
  readonly groupId?: string;
}

/** The new volume, and the name of its type. */
export interface CreatedVolume {
  readonly row: VolumesTable;
  readonly typeName: string;
}

/**
 * Creates a volume — empty, from a snapshot, or a clone — on the backend the scheduler
 * picks (a clone or a volume from a snapshot stays on its source's backend): checks the
 * source, size, type, zone and quota, records the volume as `creating` and queues the
 * work in one transaction. When no backend fits, the volume is recorded in `error` with a
 * user message, as Cinder does.
 *
 * @throws BAD_REQUEST (image or backup sources, size, zone), NOT_FOUND (type), GROUP_NOT_FOUND,
 * VOLUME_NOT_FOUND / SNAPSHOT_NOT_FOUND (source), INVALID_STATE (source status),
 * QUOTA_EXCEEDED; INVALID_STATE for a group that is not available or lacks the type.
 */
export async function createVolume(deps: DomainDeps, ctx: RequestContext, b: VolumeCreateRequest, opts: CreateVolumeOptions = {}): Promise<CreatedVolume> {
  const { db, config } = deps;
    if (b.imageRef) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Creating a volume from an image is not supported by this service.' } });
  if (b.backup_id) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Creating a volume from a backup is not supported by this service.' } });
  let size = b.size === undefined || b.size === null ? undefined : Number(b.size);
  let source: { kind: 'snapshot' | 'volume'; id: string } | undefined;
  let sourceVolume: VolumesTable | undefined;
  if (b.snapshot_id && b.source_volid) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Give snapshot_id or source_volid, not both.' } });
  if (b.snapshot_id) {
    const snap = await visibleSnapshot(db, ctx, String(b.snapshot_id));
    if (snap.status !== 'available') throw new AshlarError('INVALID_STATE', { details: { resource: 'snapshot', reason: `Originating snapshot status must be available, not ${snap.status}.` } });
    size ??= snap.size;
    if (size < snap.size) throw new AshlarError('BAD_REQUEST', { details: { reason: `Volume size ${size} GiB cannot be smaller than the snapshot size ${snap.size} GiB.` } });
    sourceVolume = await db.selectFrom('volumes').selectAll().where('id', '=', snap.volume_id).executeTakeFirstOrThrow();
    source = { kind: 'snapshot', id: snap.id };
  } else if (b.source_volid) {
    sourceVolume = await visibleVolume(db, ctx, String(b.source_volid));
    if (!['available', 'in-use'].includes(sourceVolume.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Source volume status must be available or in-use, not ${sourceVolume.status}.` } });
    size ??= sourceVolume.size;
    if (size < sourceVolume.size) throw new AshlarError('BAD_REQUEST', { details: { reason: `Volume size ${size} GiB cannot be smaller than the source volume size ${sourceVolume.size} GiB.` } });
    source = { kind: 'volume', id: sourceVolume.id };
  }
  if (size === undefined || !Number.isInteger(size) || size < 1) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: size must be a positive integer, got ${String(b.size)}.` } });
  const type = b.volume_type
    ? await usableType(db, ctx, String(b.volume_type))
    : sourceVolume?.volume_type_id
      ? await usableType(db, { ...ctx, isAdmin: true }, sourceVolume.volume_type_id)
      : await defaultType(db, ctx.projectId, config.defaultVolumeType);
  const extraSpecs = parseMap(type.extra_specs);
  const groupId = opts.groupId ?? (b.group_id ? await groupForNewVolume(db, ctx, String(b.group_id), type.id) : null);
  const az = await resolveZone(deps, (b.availability_zone as string | null | undefined) ?? sourceVolume?.availability_zone);
  const multiattach = toBool(b.multiattach) || /^<is>\s*true$/i.test(extraSpecs.multiattach ?? '');
  let host: string | null = sourceVolume?.host ?? null;
  let scheduleError: unknown;
  if (!sourceVolume) {
    try {
      host = (await deps.scheduler.select({ sizeGiB: size, availabilityZone: az, extraSpecs })).host;
    } catch (err) {
      if (!hasErrorCode(err, 'NO_VALID_BACKEND')) throw err;
      scheduleError = err;
    }
  }
  const row: VolumesTable = {
    id: newId(),
    project_id: ctx.projectId,
    user_id: ctx.userId,
    name: (b.name ?? b.display_name ?? null) as string | null,
    description: (b.description ?? b.display_description ?? null) as string | null,
    size,
    status: scheduleError ? 'error' : 'creating',
    attach_status: 'detached',
    availability_zone: az,
    volume_type_id: type.id,
    host,
    snapshot_id: source?.kind === 'snapshot' ? source.id : null,
    source_volid: source?.kind === 'volume' ? source.id : null,
    bootable: sourceVolume?.bootable ?? (toBool(b.bootable) ? 1 : 0),
    multiattach: multiattach ? 1 : 0,
    provider_location: null,
    metadata: JSON.stringify(b.metadata ?? {}),
    migration_status: null,
    created_at: now(),
    updated_at: null,
    group_id: groupId,
  };
  const work = await db.transaction().execute(async (trx) => {
    await checkQuota(trx, config.database.kind, ctx.projectId, config.quota, { volumes: 1, gigabytes: size }, size);
    await trx.insertInto('volumes').values(row).execute();
    if (scheduleError) return undefined;
    return enqueueWork(trx, { host: host!.split('@')[0]!, resourceType: 'volume', resourceId: row.id, operation: 'create_volume', ...(source ? { args: { source } } : {}), requestId: ctx.requestId, projectId: ctx.projectId });
  });
  if (work) deps.submit(work);
  else await new MessageRecorder(db, config.messageTtlS).record({ projectId: row.project_id, requestId: ctx.requestId, resourceType: 'VOLUME', resourceId: row.id, event: 'CREATE_VOLUME_NO_BACKEND', detail: (scheduleError as Error).message });
  return { row, typeName: type.name };
}

/** The zone a new volume goes to: the requested one, or the default when fallback is allowed. */
async function resolveZone(deps: DomainDeps, requested: string | undefined | null): Promise<string> {
  const { config } = deps;
  const zones = new Set((await deps.scheduler.pools()).map((p) => p.availabilityZone));
  for (const b of config.backends) zones.add(b.availabilityZone);
  const az = requested ?? config.defaultAvailabilityZone;
  if (zones.has(az)) return az;
  if (config.allowAvailabilityZoneFallback) return config.defaultAvailabilityZone;
  throw new AshlarError('BAD_REQUEST', { details: { reason: `Availability zone '${az}' is invalid.` } });
}
