import { links, uuid } from './common.js';

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
        // As in Cinder, any object: cinderclient sends `{}` for no connector, openstackclient
        // null-valued keys. The service drops null keys and checks what is left against the
        // connector schema before a driver sees it.
        connector: { type: ['object', 'null'], description: 'Connector properties (https://ashlar.dev/schemas/connector.schema.json); an empty object means none.' },
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
  properties: { attachment: { type: 'object', required: ['connector'], properties: { connector: { type: 'object', minProperties: 1, description: 'Connector properties (https://ashlar.dev/schemas/connector.schema.json); null-valued keys are ignored.' } }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** `{"attachment": Attachment}`. */
export const attachmentResponse = { title: 'AttachmentResponse', type: 'object', required: ['attachment'], properties: { attachment }, additionalProperties: false } as const;

/** GET /attachments (and the answer of DELETE: the volume's remaining attachments). */
export const attachmentListResponse = { title: 'AttachmentList', type: 'object', required: ['attachments'], properties: { attachments: { type: 'array', items: attachment }, attachments_links: links }, additionalProperties: false } as const;

/** POST /attachments/{id}/action os-complete (3.44). */
export const completeAction = { type: ['object', 'null'] } as const;

/** Narrow uuid re-export for route files. */
export { uuid };
