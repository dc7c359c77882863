import { emptyAction, intLike, uuid } from './common.js';

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
