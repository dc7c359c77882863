import { links } from './common.js';

/** A user message (3.3). */
export const message = {
  title: 'Message',
  type: 'object',
  required: ['id', 'request_id', 'resource_type', 'resource_uuid', 'event_id', 'message_level', 'user_message', 'created_at', 'guaranteed_until', 'links'],
  properties: {
    id: { type: 'string' },
    request_id: { type: 'string' },
    resource_type: { type: 'string' },
    resource_uuid: { type: ['string', 'null'] },
    event_id: { type: 'string' },
    message_level: { enum: ['ERROR'] },
    user_message: { type: 'string' },
    created_at: { type: 'string' },
    guaranteed_until: { type: 'string' },
    links,
  },
  additionalProperties: false,
} as const;

/** GET /messages. */
export const messageListResponse = { title: 'MessageList', type: 'object', required: ['messages'], properties: { messages: { type: 'array', items: message }, messages_links: links }, additionalProperties: false } as const;

/** GET /messages/{id}. */
export const messageResponse = { title: 'MessageResponse', type: 'object', required: ['message'], properties: { message }, additionalProperties: false } as const;
