import { boolLike, links, metadata, nameOrNull, pagingQuery, queryBool, queryBoolExact, timestamp, uuid } from './common.js';

/** POST /snapshots. */
export const snapshotCreateRequest = {
  title: 'SnapshotCreateRequest',
  type: 'object',
  required: ['snapshot'],
  properties: {
    snapshot: {
      type: 'object',
      required: ['volume_id'],
      properties: {
        volume_id: uuid,
        name: nameOrNull,
        display_name: nameOrNull,
        description: nameOrNull,
        display_description: nameOrNull,
        force: { anyOf: [boolLike, { type: 'null' }] },
        metadata: { anyOf: [metadata, { type: 'null' }] },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /snapshots/{id}. */
export const snapshotUpdateRequest = {
  title: 'SnapshotUpdateRequest',
  type: 'object',
  required: ['snapshot'],
  properties: {
    snapshot: {
      type: 'object',
      minProperties: 1,
      properties: { name: nameOrNull, display_name: nameOrNull, description: nameOrNull, display_description: nameOrNull },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** A snapshot. */
export const snapshot = {
  title: 'Snapshot',
  type: 'object',
  required: ['id', 'name', 'description', 'status', 'size', 'volume_id', 'created_at', 'updated_at', 'metadata'],
  properties: {
    id: uuid,
    name: nameOrNull,
    description: nameOrNull,
    status: { enum: ['creating', 'available', 'deleting', 'error', 'error_deleting', 'unmanaging', 'restoring', 'backing-up'] },
    size: { type: 'integer' },
    volume_id: uuid,
    created_at: { type: 'string' },
    updated_at: timestamp,
    metadata,
    'os-extended-snapshot-attributes:progress': { type: 'string' },
    'os-extended-snapshot-attributes:project_id': { type: 'string' },
    user_id: { type: 'string', description: '3.41+' },
    group_snapshot_id: { type: ['string', 'null'], description: '3.14+' },
    consumes_quota: { type: 'boolean', description: '3.65+' },
  },
  additionalProperties: false,
} as const;

/** `{"snapshot": Snapshot}`. */
export const snapshotResponse = { title: 'SnapshotResponse', type: 'object', required: ['snapshot'], properties: { snapshot }, additionalProperties: false } as const;

/** GET /snapshots and /snapshots/detail. */
export const snapshotListResponse = {
  title: 'SnapshotList',
  type: 'object',
  required: ['snapshots'],
  properties: { snapshots: { type: 'array', items: snapshot }, snapshots_links: links, count: { type: 'integer' } },
  additionalProperties: false,
} as const;

/** Snapshot os-reset_status. */
export const snapshotResetStatusAction = {
  type: 'object',
  required: ['status'],
  properties: { status: { enum: ['creating', 'available', 'deleting', 'error', 'error_deleting'] } },
  additionalProperties: false,
} as const;

/** Query of GET /snapshots and /snapshots/detail. */
export const snapshotListQuery = {
  type: 'object',
  properties: {
    ...pagingQuery,
    name: { type: 'string' },
    status: { type: 'string' },
    volume_id: { type: 'string' },
    metadata: { type: 'string', description: 'JSON object of metadata that must match.' },
    all_tenants: { ...queryBool, description: 'Administrators: snapshots of every project.' },
    with_count: { ...queryBoolExact, description: '3.45+' },
  },
} as const;
