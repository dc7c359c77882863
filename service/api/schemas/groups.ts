import { boolLike, nameOrNull, pagingQuery, queryBool, timestamp } from './common.js';

const idName = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } }, additionalProperties: false } as const;

/** A group in detail; fields appear by microversion (3.14 sources, 3.25 volumes, 3.38 replication, 3.58 project). */
export const group = {
  title: 'Group',
  type: 'object',
  required: ['id', 'name', 'status', 'availability_zone', 'created_at', 'description', 'group_type', 'volume_types'],
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'] },
    status: { type: 'string' },
    availability_zone: { type: 'string' },
    created_at: timestamp,
    description: { type: ['string', 'null'] },
    group_type: { type: 'string' },
    volume_types: { type: 'array', items: { type: 'string' } },
    group_snapshot_id: { type: ['string', 'null'], description: '3.14+' },
    source_group_id: { type: ['string', 'null'], description: '3.14+' },
    volumes: { type: 'array', items: { type: 'string' }, description: '3.25+, with list_volume=true' },
    replication_status: { type: ['string', 'null'], description: '3.38+' },
    project_id: { type: 'string', description: '3.58+' },
  },
  additionalProperties: false,
} as const;

/** POST /groups. */
export const groupCreateRequest = {
  title: 'GroupCreateRequest',
  type: 'object',
  required: ['group'],
  properties: {
    group: {
      type: 'object',
      required: ['group_type', 'volume_types'],
      properties: {
        name: nameOrNull,
        description: nameOrNull,
        group_type: { type: 'string', minLength: 1, maxLength: 255 },
        volume_types: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 255 } },
        availability_zone: { type: ['string', 'null'], maxLength: 255 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /groups/{id}: volume lists are comma-separated ids, as Cinder takes them. */
export const groupUpdateRequest = {
  title: 'GroupUpdateRequest',
  type: 'object',
  required: ['group'],
  properties: {
    group: {
      type: 'object',
      minProperties: 1,
      properties: { name: nameOrNull, description: nameOrNull, add_volumes: { type: ['string', 'null'] }, remove_volumes: { type: ['string', 'null'] } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** `{"group": {id, name}}`: create and create-from-src. */
export const groupSummaryResponse = { title: 'GroupSummaryResponse', type: 'object', required: ['group'], properties: { group: idName }, additionalProperties: false } as const;

/** `{"group": Group}`. */
export const groupResponse = { title: 'GroupResponse', type: 'object', required: ['group'], properties: { group }, additionalProperties: false } as const;

/** GET /groups. */
export const groupListResponse = { title: 'GroupList', type: 'object', required: ['groups'], properties: { groups: { type: 'array', items: idName } }, additionalProperties: false } as const;

/** GET /groups/detail. */
export const groupDetailListResponse = { title: 'GroupDetailList', type: 'object', required: ['groups'], properties: { groups: { type: 'array', items: group } }, additionalProperties: false } as const;

/** Group list and show query. */
export const groupListQuery = { type: 'object', properties: { ...pagingQuery, all_tenants: queryBool, name: { type: 'string' }, status: { type: 'string' }, list_volume: queryBool } } as const;

/** The delete action: `{"delete": {"delete-volumes": true}}`. */
export const groupDeleteAction = { type: 'object', properties: { 'delete-volumes': boolLike }, additionalProperties: false } as const;

/** The reset_status action of groups (3.20) and group snapshots (3.19). */
export const resetStatusAction = { type: 'object', required: ['status'], properties: { status: { type: 'string', minLength: 1, maxLength: 32 } }, additionalProperties: false } as const;

/** The create-from-src action (3.14). */
export const groupFromSourceAction = {
  type: 'object',
  properties: { name: nameOrNull, description: nameOrNull, group_snapshot_id: { type: ['string', 'null'] }, source_group_id: { type: ['string', 'null'] } },
  additionalProperties: false,
} as const;

/** A group snapshot in detail (3.58 adds the project). */
export const groupSnapshot = {
  title: 'GroupSnapshot',
  type: 'object',
  required: ['id', 'name', 'status', 'created_at', 'description', 'group_id', 'group_type_id'],
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'] },
    status: { type: 'string' },
    created_at: timestamp,
    description: { type: ['string', 'null'] },
    group_id: { type: 'string' },
    group_type_id: { type: 'string' },
    project_id: { type: 'string', description: '3.58+' },
  },
  additionalProperties: false,
} as const;

/** POST /group_snapshots. */
export const groupSnapshotCreateRequest = {
  title: 'GroupSnapshotCreateRequest',
  type: 'object',
  required: ['group_snapshot'],
  properties: {
    group_snapshot: { type: 'object', required: ['group_id'], properties: { group_id: { type: 'string', minLength: 1, maxLength: 36 }, name: nameOrNull, description: nameOrNull }, additionalProperties: false },
  },
  additionalProperties: false,
} as const;

/** `{"group_snapshot": {id, name, group_type_id}}`: the answer of create. */
export const groupSnapshotCreateResponse = {
  title: 'GroupSnapshotCreateResponse',
  type: 'object',
  required: ['group_snapshot'],
  properties: { group_snapshot: { type: 'object', required: ['id', 'name', 'group_type_id'], properties: { id: { type: 'string' }, name: { type: ['string', 'null'] }, group_type_id: { type: 'string' } }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** `{"group_snapshot": GroupSnapshot}`. */
export const groupSnapshotResponse = { title: 'GroupSnapshotResponse', type: 'object', required: ['group_snapshot'], properties: { group_snapshot: groupSnapshot }, additionalProperties: false } as const;

/** GET /group_snapshots. */
export const groupSnapshotListResponse = { title: 'GroupSnapshotList', type: 'object', required: ['group_snapshots'], properties: { group_snapshots: { type: 'array', items: idName } }, additionalProperties: false } as const;

/** GET /group_snapshots/detail. */
export const groupSnapshotDetailListResponse = { title: 'GroupSnapshotDetailList', type: 'object', required: ['group_snapshots'], properties: { group_snapshots: { type: 'array', items: groupSnapshot } }, additionalProperties: false } as const;

/** Group snapshot list query. */
export const groupSnapshotListQuery = { type: 'object', properties: { ...pagingQuery, all_tenants: queryBool, name: { type: 'string' }, status: { type: 'string' }, group_id: { type: 'string' } } } as const;
