import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import type { ActionDoc } from '../route-doc.js';
import * as A from '../schemas/volume-actions.js';
import type { ConnectorProperties } from '../../../core/contract/types.js';
import type { VolumesTable, VolumeTypesTable } from '../../db/tables.js';
import { now, parseMap, toBool } from '../../util.js';
import type { ApiReply, ApiRequest, RouteHandler } from '../api-request.js';
import { deleteAux, mergeAux, readAux } from '../aux-metadata.js';
import type { ApiDeps } from '../deps.js';
import { usableType, visibleVolume } from '../lookup.js';

/** Actions and their handlers, merged into the volume action route. */
export interface ActionSet {
  readonly docs: readonly ActionDoc[];
  readonly handlers: Readonly<Record<string, RouteHandler<any>>>;
}

const MULTIATTACH = /^<is>\s*true$/i;
const accepted: ApiReply = { status: 202 };

function badRequest(reason: string): AshlarError {
  return new AshlarError('BAD_REQUEST', { details: { reason } });
}

function invalidVolume(reason: string): AshlarError {
  return new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason } });
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * The volume actions beyond the attach/extend core: the readonly flag, image metadata,
 * retype, migration, force-detach, unmanage, and the image-service actions this service
 * answers as Cinder does when it has no image service.
 *
 * Retype and migration follow Cinder's checks and messages. Where Cinder would need to copy
 * the data to another backend (a retype the driver cannot do in place, a move without
 * backend-assisted migration) this service answers 400 at once instead of accepting the
 * request and failing later: it has no generic migration.
 */
export function extraVolumeActions(deps: ApiDeps): ActionSet {
  const { db } = deps;
  const load = (req: ApiRequest<unknown>) => visibleVolume(db, req.ctx, req.params.id!);
  const driverOf = (v: VolumesTable) => {
    if (!deps.backends) throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: 'this call needs the volume service in this process (role all)' } });
    return deps.backends.forHost(v.host).driver;
  };
  const driverVolume = (v: VolumesTable) => ({ id: v.id, sizeGiB: v.size, ...(v.provider_location ? { providerLocation: v.provider_location } : {}), multiattach: v.multiattach === 1 });
  const typeById = async (id: string | null): Promise<VolumeTypesTable | undefined> => (id ? db.selectFrom('volume_types').selectAll().where('id', '=', id).executeTakeFirst() : undefined);
  const noImageService = (what: string) => badRequest(`${what} needs an image service (Glance), and this service has none configured.`);

  const docs: ActionDoc[] = [
    { name: 'os-update_readonly_flag', summary: 'Set the readonly flag: later attachments are read-only.', schema: A.readonlyFlagAction, status: 202 },
    { name: 'os-show_image_metadata', summary: "Show the volume's image metadata.", schema: A.noArgsAction, status: 200, response: A.imageMetadataResponse },
    { name: 'os-set_image_metadata', summary: 'Add or change image metadata keys.', schema: A.setImageMetadataAction, status: 200, response: A.imageMetadataResponse },
    { name: 'os-unset_image_metadata', summary: 'Remove one image metadata key.', schema: A.unsetImageMetadataAction, status: 200 },
    { name: 'os-retype', summary: 'Change the volume type, when the volume can keep its backend.', schema: A.retypeAction, status: 202 },
    { name: 'os-migrate_volume', summary: 'Move the volume to another backend (backend-assisted only).', schema: A.migrateVolumeAction, status: 202, adminOnly: true },
    { name: 'os-migrate_volume_completion', summary: 'Finish a migration Nova drove (not supported: refused).', schema: A.migrateVolumeCompletionAction, status: 200, response: A.migrateVolumeCompletionResponse, adminOnly: true },
    { name: 'os-force_detach', summary: 'Remove attachments and revoke access whatever their state.', schema: A.forceDetachAction, status: 202, adminOnly: true },
    { name: 'os-unmanage', summary: 'Forget the volume, leaving its data on the backend.', schema: A.noArgsAction, status: 202, adminOnly: true },
    { name: 'os-volume_upload_image', summary: 'Upload to the image service (none here: refused).', schema: A.uploadImageAction, status: 202 },
    { name: 'os-reimage', summary: 'Re-image from the image service (none here: refused).', schema: A.reimageAction, status: 202, min: '3.68' },
  ];

  const handlers: Record<string, RouteHandler<any>> = {
    'os-update_readonly_flag': async (req: ApiRequest<{ readonly: boolean | string }>) => {
      const v = await load(req);
      if (v.status !== 'available') throw invalidVolume(`Volume ${v.id} status must be available to update readonly flag, but current status is: ${v.status}.`);
      await mergeAux(db, 'admin', v.id, { readonly: toBool(req.body.readonly) ? 'True' : 'False' });
      return accepted;
    },

    'os-show_image_metadata': async (req) => ({ status: 200, body: { metadata: await readAux(db, 'image', (await load(req)).id) } }),
    'os-set_image_metadata': async (req: ApiRequest<{ metadata: Record<string, string> }>) => {
      const v = await load(req);
      return { status: 200, body: { metadata: await mergeAux(db, 'image', v.id, req.body.metadata) } };
    },
    'os-unset_image_metadata': async (req: ApiRequest<{ key: string }>) => {
      const v = await load(req);
      if (!(await deleteAux(db, 'image', v.id, req.body.key))) throw new AshlarError('NOT_FOUND', { message: `Glance metadata for volume/snapshot ${v.id} cannot be found.`, details: { resource: 'Glance metadata', id: v.id } });
      return { status: 200 };
    },

    'os-retype': async (req: ApiRequest<{ new_type: string; migration_policy?: 'never' | 'on-demand' | null }>) => {
      const v = await load(req);
      let target: VolumeTypesTable;
      try {
        // Cinder looks the type up with an elevated context: any type, by name or id.
        target = await usableType(db, { ...req.ctx, isAdmin: true }, req.body.new_type);
      } catch (err) {
        if (hasErrorCode(err, 'NOT_FOUND')) throw badRequest(`Invalid volume_type passed: ${req.body.new_type}.`);
        throw err;
      }
      const newSpecs = parseMap(target.extra_specs);
      const targetMultiattach = MULTIATTACH.test(newSpecs.multiattach ?? '');
      if ((v.multiattach === 1) !== targetMultiattach && v.status !== 'available') {
        throw badRequest(`Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes, the specified volume however currently has a status of: ${v.status}.`);
      }
      const migrating = v.migration_status !== null && !['success', 'error'].includes(v.migration_status);
      if (!['available', 'in-use'].includes(v.status) || migrating || v.volume_type_id === target.id) {
        throw invalidVolume('Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.');
      }
      const oldSpecs = parseMap((await typeById(v.volume_type_id))?.extra_specs);
      // Types with the same extra specs need nothing from the backend (Cinder's all_equal).
      let retyped = sameMap(oldSpecs, newSpecs);
      let refusal: string | undefined;
      if (!retyped) {
        refusal = await deps.scheduler.refusal(v.host ?? '', { sizeGiB: 0, availabilityZone: v.availability_zone, extraSpecs: newSpecs });
        const driver = refusal === undefined ? driverOf(v) : undefined;
        if (driver?.supports('retype')) {
          const diff: Record<string, readonly [string | null, string | null]> = {};
          for (const k of new Set([...Object.keys(oldSpecs), ...Object.keys(newSpecs)])) if (oldSpecs[k] !== newSpecs[k]) diff[k] = [oldSpecs[k] ?? null, newSpecs[k] ?? null];
          retyped = (await driver.retype({ volume: driverVolume(v), newType: { name: target.name, extraSpecs: newSpecs }, diff })).retyped;
        }
      }
      if (!retyped) {
        const why = refusal ? ` (the current backend does not fit the new type: ${refusal})` : '';
        if ((req.body.migration_policy ?? 'never') === 'never') throw badRequest(`Retype requires migration but is not allowed.${why}`);
        throw badRequest(`Retype requires migration, and this service cannot migrate volumes between backends.${why}`);
      }
      const r = await db.updateTable('volumes').set({ volume_type_id: target.id, multiattach: targetMultiattach ? 1 : v.multiattach, updated_at: now() }).where('id', '=', v.id).where('status', '=', v.status).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw invalidVolume('retype: volume status changed during the request.');
      return accepted;
    },

    'os-migrate_volume': async (req: ApiRequest<{ host?: string | null; cluster?: string | null }>) => {
      const v = await load(req);
      const dest = req.body.host ?? req.body.cluster ?? undefined;
      if (!dest) throw badRequest('Missing required element host or cluster in request body.');
      const backendHost = dest.split('#')[0]!;
      const service = await db.selectFrom('services').selectAll().where('binary', '=', 'cinder-volume').where('host', '=', backendHost).where('disabled', '=', 0).executeTakeFirst();
      if (!service) throw badRequest(`Invalid host: No available service named '${dest}'`);
      const snaps = await db.selectFrom('snapshots').select('id').where('volume_id', '=', v.id).executeTakeFirst();
      const migrating = v.migration_status !== null && !['success', 'error'].includes(v.migration_status);
      if (!['available', 'in-use'].includes(v.status) || migrating || snaps || (v.host ?? '').split('#')[0] === backendHost) {
        throw invalidVolume(`Volume ${v.id} status must be available or in-use, must not be migrating, have snapshots, be replicated, be part of a group and destination host/cluster must be different than the current one`);
      }
      const driver = driverOf(v);
      const location = (JSON.parse(service.capabilities ?? '{}') as { location_info?: string }).location_info;
      if (!driver.supports('migrate') || !location) throw badRequest(`Volume migration from ${v.host} to ${dest} needs backend-assisted migration, which driver ${driver.manifest.name} does not offer; this service has no generic migration.`);
      const moved = await driver.migrateVolume({ volume: driverVolume(v), destinationLocation: location });
      if (!moved.moved) throw badRequest(`Driver ${driver.manifest.name} could not move volume ${v.id} to ${dest}; this service has no generic migration.`);
      const pool = dest.includes('#') ? dest : `${backendHost}#${(v.host ?? '').split('#')[1] ?? ''}`;
      await db.updateTable('volumes').set({ host: pool, migration_status: 'success', ...(moved.providerLocation ? { provider_location: moved.providerLocation } : {}), updated_at: now() }).where('id', '=', v.id).execute();
      return accepted;
    },

    'os-migrate_volume_completion': async (req) => {
      await load(req);
      throw badRequest('Migration completion is only meaningful for a migration in progress, and this service starts none that need it.');
    },

    'os-force_detach': async (req: ApiRequest<{ attachment_id?: string | null; connector?: Record<string, unknown> | null } | null>) => {
      const v = await load(req);
      const rows = await db.selectFrom('attachments').selectAll().where('volume_id', '=', v.id).execute();
      const targets = req.body?.attachment_id ? rows.filter((a) => a.id === req.body!.attachment_id) : rows;
      if (req.body?.attachment_id && targets.length === 0) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume attachment', id: req.body.attachment_id } });
      for (const a of targets) {
        const connector = a.connector ? (JSON.parse(a.connector) as ConnectorProperties) : undefined;
        // Best effort, as Cinder's force-detach: the record goes even when the backend refuses.
        if (connector && deps.backends?.owns(v.host)) await driverOf(v).terminateConnection({ volume: driverVolume(v), connector }).catch(() => undefined);
      }
      await db.transaction().execute(async (trx) => {
        if (targets.length > 0) await trx.deleteFrom('attachments').where('id', 'in', targets.map((a) => a.id)).execute();
        const left = rows.length - targets.length;
        await trx.updateTable('volumes').set(left > 0 ? { updated_at: now() } : { status: 'available', attach_status: 'detached', updated_at: now() }).where('id', '=', v.id).execute();
      });
      return accepted;
    },

    'os-unmanage': async (req) => {
      const v = await load(req);
      if (!['available', 'error', 'error_restoring', 'error_extending', 'error_managing'].includes(v.status) || v.attach_status === 'attached') {
        throw invalidVolume(`Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer, not ${v.status}.`);
      }
      const snaps = await db.selectFrom('snapshots').select('id').where('volume_id', '=', v.id).execute();
      if (snaps.length > 0) throw invalidVolume(`Volume ${v.id} still has ${snaps.length} dependent snapshots.`);
      if (v.host) {
        const driver = driverOf(v);
        // A driver without the manage capability keeps nothing about the volume to forget (Cinder's default unmanage does nothing either).
        if (driver.supports('manage')) await driver.unmanage({ volume: driverVolume(v) });
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('attachments').where('volume_id', '=', v.id).execute();
        await trx.deleteFrom('volumes').where('id', '=', v.id).where('status', '=', v.status).execute();
      });
      return accepted;
    },

    'os-volume_upload_image': async (req) => {
      await load(req);
      throw noImageService('Uploading a volume to an image');
    },
    'os-reimage': async (req) => {
      await load(req);
      throw noImageService('Re-imaging a volume');
    },
  };
  return { docs, handlers };
}
