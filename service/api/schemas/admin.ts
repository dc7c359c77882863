/** Schemas of the small read-mostly resources: zones, limits, services, clusters, pools. */

import { queryBoolExact } from './common.js';

/** GET /os-availability-zone. */
export const availabilityZoneListResponse = {
  title: 'AvailabilityZoneList',
  type: 'object',
  required: ['availabilityZoneInfo'],
  properties: {
    availabilityZoneInfo: {
      type: 'array',
      items: {
        type: 'object',
        required: ['zoneName', 'zoneState'],
        properties: { zoneName: { type: 'string' }, zoneState: { type: 'object', required: ['available'], properties: { available: { type: 'boolean' } } } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

/** GET /limits. */
export const limitsResponse = {
  title: 'Limits',
  type: 'object',
  required: ['limits'],
  properties: {
    limits: {
      type: 'object',
      required: ['rate', 'absolute'],
      properties: { rate: { type: 'array' }, absolute: { type: 'object', additionalProperties: { type: 'integer' } } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const service = {
  type: 'object',
  required: ['binary', 'host', 'zone', 'status', 'state', 'updated_at'],
  properties: {
    id: { type: 'integer' },
    binary: { type: 'string' },
    host: { type: 'string' },
    zone: { type: 'string' },
    status: { enum: ['enabled', 'disabled'] },
    state: { enum: ['up', 'down'] },
    updated_at: { type: ['string', 'null'] },
    disabled_reason: { type: ['string', 'null'] },
    cluster: { type: ['string', 'null'], description: '3.7+' },
    replication_status: { type: 'string' },
    active_backend_id: { type: ['string', 'null'] },
    frozen: { type: 'boolean' },
    backend_state: { enum: ['up', 'down'], description: '3.49+' },
  },
  additionalProperties: false,
} as const;

/** GET /os-services. */
export const serviceListResponse = { title: 'ServiceList', type: 'object', required: ['services'], properties: { services: { type: 'array', items: service } }, additionalProperties: false } as const;

/** PUT /os-services/{enable|disable|disable-log-reason}. */
export const serviceUpdateRequest = {
  title: 'ServiceUpdateRequest',
  type: 'object',
  required: ['host'],
  properties: { host: { type: 'string' }, binary: { type: 'string' }, disabled_reason: { type: 'string', maxLength: 255 } },
  additionalProperties: false,
} as const;

/** PUT /os-services answer. */
export const serviceUpdateResponse = {
  title: 'ServiceUpdate',
  type: 'object',
  required: ['host', 'binary', 'status', 'disabled'],
  properties: { host: { type: 'string' }, binary: { type: 'string' }, status: { type: 'string' }, disabled: { type: 'boolean' }, disabled_reason: { type: ['string', 'null'] } },
  additionalProperties: false,
} as const;

const cluster = {
  type: 'object',
  required: ['name', 'binary', 'state', 'status'],
  properties: {
    name: { type: 'string' },
    binary: { type: 'string' },
    state: { enum: ['up', 'down'] },
    status: { enum: ['enabled', 'disabled'] },
    num_hosts: { type: 'integer' },
    num_down_hosts: { type: 'integer' },
    last_heartbeat: { type: ['string', 'null'] },
    created_at: { type: ['string', 'null'] },
    updated_at: { type: ['string', 'null'] },
    disabled_reason: { type: ['string', 'null'] },
    replication_status: { type: 'string' },
    frozen: { type: 'boolean' },
    active_backend_id: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

/** GET /clusters and /clusters/detail (3.7). */
export const clusterListResponse = { title: 'ClusterList', type: 'object', required: ['clusters'], properties: { clusters: { type: 'array', items: cluster } }, additionalProperties: false } as const;

/** GET /clusters/{name} (3.7). */
export const clusterResponse = { title: 'ClusterResponse', type: 'object', required: ['cluster'], properties: { cluster }, additionalProperties: false } as const;

/** GET /scheduler-stats/get_pools. */
export const poolListResponse = {
  title: 'PoolList',
  type: 'object',
  required: ['pools'],
  properties: {
    pools: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, capabilities: { type: 'object' } }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

/** Query of GET /scheduler-stats/get_pools. */
export const poolListQuery = {
  type: 'object',
  properties: { detail: queryBoolExact, name: { type: 'string' }, volume_type: { type: 'string' } },
} as const;
