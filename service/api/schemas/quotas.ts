/** Schemas of os-quota-sets. */

import { queryBoolExact } from './common.js';

const limitOrUsage = {
  anyOf: [
    { type: 'integer' },
    {
      type: 'object',
      required: ['limit', 'in_use', 'reserved'],
      properties: { limit: { type: 'integer' }, in_use: { type: 'integer' }, reserved: { type: 'integer' }, allocated: { type: 'integer' } },
      additionalProperties: false,
    },
  ],
} as const;

/** `{"quota_set": {...}}`: limits, or limit/in_use/reserved objects with `usage=true`. */
export const quotaSetResponse = {
  title: 'QuotaSet',
  type: 'object',
  required: ['quota_set'],
  properties: {
    quota_set: {
      type: 'object',
      properties: { id: { type: 'string' } },
      additionalProperties: limitOrUsage,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /os-quota-sets/{project}. */
export const quotaSetUpdateRequest = {
  title: 'QuotaSetUpdateRequest',
  type: 'object',
  required: ['quota_set'],
  properties: {
    quota_set: {
      type: 'object',
      properties: { tenant_id: { type: 'string' }, id: { type: 'string' } },
      propertyNames: { pattern: '^(tenant_id|id|volumes|snapshots|gigabytes|backups|backup_gigabytes|per_volume_gigabytes|groups|(volumes|snapshots|gigabytes)_.+)$' },
      additionalProperties: { anyOf: [{ type: 'integer', minimum: -1 }, { type: 'string', pattern: '^-?\\d+$' }] },
    },
  },
  additionalProperties: false,
} as const;

/** `{"quota_class_set": {...}}` (GET /os-quota-class-sets/{class}; PUT answers it without the id). */
export const quotaClassSetResponse = {
  title: 'QuotaClassSet',
  type: 'object',
  required: ['quota_class_set'],
  properties: { quota_class_set: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: { type: 'integer' } } },
  additionalProperties: false,
} as const;

/** PUT /os-quota-class-sets/{class}. */
export const quotaClassSetUpdateRequest = {
  title: 'QuotaClassSetUpdateRequest',
  type: 'object',
  required: ['quota_class_set'],
  properties: {
    quota_class_set: {
      type: 'object',
      propertyNames: { pattern: '^(volumes|snapshots|gigabytes|backups|backup_gigabytes|per_volume_gigabytes|groups|(volumes|snapshots|gigabytes)_.+)$' },
      additionalProperties: { anyOf: [{ type: 'integer', minimum: -1 }, { type: 'string', pattern: '^-?\\d+$' }] },
    },
  },
  additionalProperties: false,
} as const;

/** Query of GET /os-quota-sets/{project_id}. */
export const quotaSetShowQuery = { type: 'object', properties: { usage: queryBoolExact } } as const;
