import { AshlarError } from '../../../../core/errors/ashlar-error.js';
import { visibleVolume } from '../../../domain/lookup.js';
import { deleteAux, mergeAux, readAux } from '../../../domain/volumes/aux-metadata.js';
import { forceDetach } from '../../../domain/volumes/force-detach.js';
import { migrateVolume } from '../../../domain/volumes/migrate-volume.js';
import { setReadonlyFlag } from '../../../domain/volumes/readonly-flag.js';
import { retypeVolume } from '../../../domain/volumes/retype-volume.js';
import { unmanageVolume } from '../../../domain/volumes/unmanage-volume.js';
import { toBool } from '../../../util.js';
import type { ApiReply, ApiRequest, RouteHandler } from '../../api-request.js';
import type { ApiDeps } from '../../deps.js';
import type { ActionDoc } from '../../route-doc.js';
import * as A from '../../schemas/volume-actions.js';

/** Actions and their handlers, merged into the volume action route. */
export interface ActionSet {
  readonly docs: readonly ActionDoc[];
  readonly handlers: Readonly<Record<string, RouteHandler<any>>>;
}

const accepted: ApiReply = { status: 202 };




/**
 * The volume actions beyond the attach/extend core (the same route, in two files for size): the readonly flag, image metadata,
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
  const noImageService = (what: string) => new AshlarError('BAD_REQUEST', { details: { reason: `${what} needs an image service (Glance), and this service has none configured.` } });

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
      await setReadonlyFlag(db, await load(req), toBool(req.body.readonly));
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
      await retypeVolume(deps, req.ctx, await load(req), req.body.new_type, req.body.migration_policy ?? 'never');
      return accepted;
    },
    'os-migrate_volume': async (req: ApiRequest<{ host?: string | null; cluster?: string | null }>) => {
      await migrateVolume(deps, await load(req), req.body.host ?? req.body.cluster ?? undefined);
      return accepted;
    },
    'os-migrate_volume_completion': async (req) => {
      await load(req);
      throw new AshlarError('BAD_REQUEST', { details: { reason: 'Migration completion is only meaningful for a migration in progress, and this service starts none that need it.' } });
    },
    'os-force_detach': async (req: ApiRequest<{ attachment_id?: string | null; connector?: Record<string, unknown> | null } | null>) => {
      await forceDetach(deps, await load(req), req.body?.attachment_id);
      return accepted;
    },
    'os-unmanage': async (req) => {
      await unmanageVolume(deps, await load(req));
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
