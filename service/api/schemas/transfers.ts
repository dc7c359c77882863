import { links, nameOrNull, pagingQuery, queryBool, timestamp } from './common.js';

const base = {
  id: { type: 'string' },
  name: { type: ['string', 'null'] },
  volume_id: { type: 'string' },
  links,
} as const;
/** Fields of the 3.55 API: no_snapshots (3.55); source/destination projects and accepted (3.57). */
const newer = {
  no_snapshots: { type: 'boolean', description: 'volume-transfers, 3.55+' },
  source_project_id: { type: 'string', description: 'volume-transfers, 3.57+' },
  destination_project_id: { type: ['string', 'null'], description: 'volume-transfers, 3.57+' },
  accepted: { type: 'boolean', description: 'volume-transfers, 3.57+' },
} as const;

/** A transfer in detail. */
export const transfer = { title: 'Transfer', type: 'object', required: ['id', 'name', 'volume_id', 'links', 'created_at'], properties: { ...base, created_at: timestamp, ...newer }, additionalProperties: false } as const;

/** POST .../transfers: the new transfer with its auth key (shown only here). */
export const transferCreateResponse = {
  title: 'TransferCreateResponse',
  type: 'object',
  required: ['transfer'],
  properties: { transfer: { type: 'object', required: ['id', 'name', 'volume_id', 'links', 'created_at', 'auth_key'], properties: { ...base, created_at: timestamp, auth_key: { type: 'string' }, ...newer }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** `{"transfer": Transfer}`. */
export const transferResponse = { title: 'TransferResponse', type: 'object', required: ['transfer'], properties: { transfer }, additionalProperties: false } as const;

/** The answer of accept. */
export const transferAcceptResponse = {
  title: 'TransferAcceptResponse',
  type: 'object',
  required: ['transfer'],
  properties: { transfer: { type: 'object', required: ['id', 'name', 'volume_id', 'links'], properties: base, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** GET .../transfers. */
export const transferListResponse = {
  title: 'TransferList',
  type: 'object',
  required: ['transfers'],
  properties: { transfers: { type: 'array', items: { type: 'object', required: ['id', 'name', 'volume_id', 'links'], properties: base, additionalProperties: false } }, transfers_links: links },
  additionalProperties: false,
} as const;

/** GET .../transfers/detail. */
export const transferDetailListResponse = { title: 'TransferDetailList', type: 'object', required: ['transfers'], properties: { transfers: { type: 'array', items: transfer }, transfers_links: links }, additionalProperties: false } as const;

/** POST /os-volume-transfer (3.0). */
export const transferCreateRequest = {
  title: 'TransferCreateRequest',
  type: 'object',
  required: ['transfer'],
  properties: { transfer: { type: 'object', required: ['volume_id'], properties: { volume_id: { type: 'string', minLength: 1, maxLength: 36 }, name: nameOrNull }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** POST /volume-transfers (3.55): also `no_snapshots`. */
export const transferCreateRequestV355 = {
  title: 'TransferCreateRequestV355',
  type: 'object',
  required: ['transfer'],
  properties: {
    transfer: { type: 'object', required: ['volume_id'], properties: { volume_id: { type: 'string', minLength: 1, maxLength: 36 }, name: nameOrNull, no_snapshots: { anyOf: [{ type: 'boolean' }, queryBool] } }, additionalProperties: false },
  },
  additionalProperties: false,
} as const;

/** POST .../{id}/accept. */
export const transferAcceptRequest = {
  title: 'TransferAcceptRequest',
  type: 'object',
  required: ['accept'],
  properties: { accept: { type: 'object', required: ['auth_key'], properties: { auth_key: { type: 'string', minLength: 1, maxLength: 255 } }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** Transfer list query. */
export const transferListQuery = { type: 'object', properties: { ...pagingQuery, all_tenants: queryBool } } as const;
