import { timestamp } from './common.js';

/** GET /os-hosts. */
export const hostListResponse = {
  title: 'HostList',
  type: 'object',
  required: ['hosts'],
  properties: {
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['service-status', 'service', 'zone', 'service-state', 'host_name', 'last-update'],
        properties: {
          'service-status': { enum: ['available', 'unavailable'] },
          service: { type: 'string' },
          zone: { type: 'string' },
          'service-state': { enum: ['enabled', 'disabled'] },
          host_name: { type: 'string' },
          'last-update': timestamp,
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

const count = { type: 'string', pattern: '^[0-9]+$' } as const;

/** GET /os-hosts/{host}: usage in total and per project; numbers as strings, as Cinder prints them. */
export const hostShowResponse = {
  title: 'HostShow',
  type: 'object',
  required: ['host'],
  properties: {
    host: {
      type: 'array',
      items: {
        type: 'object',
        required: ['resource'],
        properties: {
          resource: {
            type: 'object',
            required: ['volume_count', 'total_volume_gb', 'total_snapshot_gb', 'project', 'host', 'snapshot_count'],
            properties: { volume_count: count, total_volume_gb: count, total_snapshot_gb: count, snapshot_count: count, project: { type: 'string' }, host: { type: 'string' } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

/** GET /os-hosts query. */
export const hostListQuery = { type: 'object', properties: { service: { type: 'string' }, zone: { type: 'string' } } } as const;
