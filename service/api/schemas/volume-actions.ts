import { boolLike, emptyAction, intLike, metadata, metadataBody, uuid } from './common.js';

const connector = { $ref: 'https://ashlar.dev/schemas/connector.schema.json' } as const;

/** os-extend. */
export const extendAction = { type: 'object', required: ['new_size'], properties: { new_size: intLike }, additionalProperties: false } as const;

/** os-reset_status (admin). */
export const resetStatusAction = {
  type: 'object',
  minProperties: 1,
  properties: {
    status: { enum: ['creating', 'available', 'reserved', 'attaching', 'detaching', 'in-use', 'maintenance', 'deleting', 'error', 'error_deleting', 'error_extending', 'extending', 'reverting', 'backing-up', 'restoring-backup', 'downloading', 'uploading', 'retyping', 'awaiting-transfer'] },
    attach_status: { enum: ['attached', 'detached'] },
    migration_status: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

/** os-attach (legacy attach, as Nova used it before attachments). */
export const attachAction = {
  type: 'object',
  required: ['mountpoint'],
  properties: {
    instance_uuid: { anyOf: [uuid, { type: 'null' }] },
    host_name: { type: ['string', 'null'], maxLength: 255 },
    mountpoint: { type: 'string', maxLength: 255 },
    mode: { enum: ['rw', 'ro'] },
  },
  additionalProperties: false,
} as const;

/** os-detach. */
export const detachAction = {
  type: ['object', 'null'],
  properties: { attachment_id: { anyOf: [uuid, { type: 'null' }] } },
  additionalProperties: false,
} as const;

/** os-initialize_connection and os-terminate_connection. */
export const connectorAction = { type: 'object', required: ['connector'], properties: { connector }, additionalProperties: false } as const;

/** os-initialize_connection answer. */
export const connectionInfoResponse = {
  title: 'ConnectionInfoResponse',
  type: 'object',
  required: ['connection_info'],
  properties: { connection_info: { $ref: 'https://ashlar.dev/schemas/connection-info.schema.json' } },
  additionalProperties: false,
} as const;

/** revert (3.40). */
export const revertAction = { type: 'object', required: ['snapshot_id'], properties: { snapshot_id: uuid }, additionalProperties: false } as const;

/** os-set_bootable. */
export const setBootableAction = { type: 'object', required: ['bootable'], properties: { bootable: { anyOf: [{ type: 'boolean' }, { type: 'string' }] } }, additionalProperties: false } as const;

/** Actions without arguments: os-force_delete, os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching. */
export const noArgsAction = emptyAction;

/** os-update_readonly_flag. */
export const readonlyFlagAction = { type: 'object', required: ['readonly'], properties: { readonly: boolLike }, additionalProperties: false } as const;

/** os-retype: the new type by name or id, and whether the volume may move to do it. */
export const retypeAction = {
  type: 'object',
  required: ['new_type'],
  properties: { new_type: { type: 'string', minLength: 1, maxLength: 255 }, migration_policy: { enum: ['never', 'on-demand', null] } },
  additionalProperties: false,
} as const;

/** os-migrate_volume (admin): a destination host (or cluster from 3.16). */
export const migrateVolumeAction = {
  type: 'object',
  properties: {
    host: { type: ['string', 'null'], maxLength: 255 },
    cluster: { type: ['string', 'null'], maxLength: 255, description: '3.16+' },
    force_host_copy: boolLike,
    lock_volume: boolLike,
  },
  additionalProperties: false,
} as const;

/** os-migrate_volume_completion (admin; what Nova calls after swapping a migrated volume). */
export const migrateVolumeCompletionAction = {
  type: 'object',
  required: ['new_volume'],
  properties: { new_volume: uuid, error: { anyOf: [boolLike, { type: 'null' }] } },
  additionalProperties: false,
} as const;

/** os-migrate_volume_completion answer. */
export const migrateVolumeCompletionResponse = { title: 'MigrateVolumeCompletionResponse', type: 'object', required: ['save_volume_id'], properties: { save_volume_id: uuid }, additionalProperties: false } as const;

/** os-force_detach (admin). */
export const forceDetachAction = {
  type: ['object', 'null'],
  properties: { attachment_id: { anyOf: [uuid, { type: 'null' }] }, connector: { type: ['object', 'null'] } },
  additionalProperties: false,
} as const;

/** os-volume_upload_image. */
export const uploadImageAction = {
  type: 'object',
  required: ['image_name'],
  properties: {
    image_name: { type: 'string', minLength: 1, maxLength: 255 },
    force: boolLike,
    disk_format: { type: 'string' },
    container_format: { type: 'string' },
    visibility: { enum: ['public', 'private', 'community', 'shared'], description: '3.1+' },
    protected: { anyOf: [boolLike, { type: 'null' }], description: '3.1+' },
  },
  additionalProperties: false,
} as const;

/** os-reimage (3.68). */
export const reimageAction = { type: 'object', required: ['image_id'], properties: { image_id: uuid, reimage_reserved: boolLike }, additionalProperties: false } as const;

/** os-set_image_metadata. */
export const setImageMetadataAction = { type: 'object', required: ['metadata'], properties: { metadata }, additionalProperties: false } as const;

/** os-unset_image_metadata. */
export const unsetImageMetadataAction = { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1, maxLength: 255 } }, additionalProperties: false } as const;

/** Answer of os-show_image_metadata and os-set_image_metadata. */
export const imageMetadataResponse = { ...metadataBody, title: 'ImageMetadataResponse' } as const;
