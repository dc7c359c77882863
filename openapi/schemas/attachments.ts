import { uuid } from './common.js';

const connector = { $ref: 'https://ashlar.dev/schemas/connector.schema.json' } as const;

/** An attachment (3.27+). */
export const attachment = {
  title: 'Attachment',
  type: 'object',
  required: ['id', 'status', 'volume_id', 'instance'],
  properties: {
    id: uuid,
    status: { enum: ['reserved', 'attaching', 'attached', 'detaching', 'detached', 'error_attaching', 'error_detaching'] },
    volume_id: uuid,
    instance: { type: ['string', 'null'] },
    attached_at: { type: ['string', 'null'] },
    detached_at: { type: ['string', 'null'] },
    attach_mode: { type: ['string', 'null'] },
    connection_info: { type: ['object', 'null'] },
    connector: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

/** POST /attachments. */
export const attachmentCreateRequest = {
  title: 'AttachmentCreateRequest',
  type: 'object',
  required: ['attachment'],
  properties: {
    attachment: {
      type: 'object',
      required: ['volume_uuid'],
      properties: {
        volume_uuid: uuid,
        instance_uuid: { anyOf: [uuid, { type: 'null' }] },
        connector: { anyOf: [connector, { type: 'null' }] },
        mode: { enum: ['rw', 'ro'], description: '3.54+' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /attachments/{id}. */
export const attachmentUpdateRequest = {
  title: 'AttachmentUpdateRequest',
  type: 'object',
  required: ['attachment'],
  properties: { attachment: { type: 'object', required: ['connector'], properties: { connector }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** `{"attachment": Attachment}`. */
export const attachmentResponse = { title: 'AttachmentResponse', type: 'object', required: ['attachment'], properties: { attachment }, additionalProperties: false } as const;

/** GET /attachments. */
export const attachmentListResponse = { title: 'AttachmentList', type: 'object', required: ['attachments'], properties: { attachments: { type: 'array', items: attachment } }, additionalProperties: false } as const;

/** POST /attachments/{id}/action os-complete (3.44). */
export const completeAction = { type: ['object', 'null'] } as const;

/** Narrow uuid re-export for route files. */
export { uuid };
