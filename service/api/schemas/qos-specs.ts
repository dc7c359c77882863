import { links, pagingQuery } from './common.js';

const specValue = { type: 'string', maxLength: 255 } as const;
const specMap = { type: 'object', propertyNames: { minLength: 1, maxLength: 255 }, additionalProperties: specValue } as const;

/** QoS specs as list items and in `qos_specs` of show and create. */
export const qosSpecs = {
  title: 'QosSpecs',
  type: 'object',
  required: ['id', 'name', 'consumer', 'specs'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    consumer: { enum: ['front-end', 'back-end', 'both'] },
    specs: specMap,
  },
  additionalProperties: false,
} as const;

/** POST /qos-specs: name, consumer and the specs as sibling keys. */
export const qosSpecsCreateRequest = {
  title: 'QosSpecsCreateRequest',
  type: 'object',
  required: ['qos_specs'],
  properties: {
    qos_specs: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, consumer: { enum: ['front-end', 'back-end', 'both'] } },
      propertyNames: { minLength: 1, maxLength: 255 },
      additionalProperties: specValue,
    },
  },
  additionalProperties: false,
} as const;

/** `{"qos_specs": {...}, "links": [...]}`: show and create. */
export const qosSpecsResponse = {
  title: 'QosSpecsResponse',
  type: 'object',
  required: ['qos_specs', 'links'],
  properties: { qos_specs: qosSpecs, links },
  additionalProperties: false,
} as const;

/** GET /qos-specs. */
export const qosSpecsListResponse = {
  title: 'QosSpecsList',
  type: 'object',
  required: ['qos_specs'],
  properties: { qos_specs: { type: 'array', items: qosSpecs }, qos_specs_links: links },
  additionalProperties: false,
} as const;

/** PUT /qos-specs/{id}: keys to add or change (and `consumer`); answered with the same map. */
export const qosSpecsSetRequest = {
  title: 'QosSpecsSetRequest',
  type: 'object',
  required: ['qos_specs'],
  properties: {
    qos_specs: {
      type: 'object',
      minProperties: 1,
      properties: { consumer: { enum: ['front-end', 'back-end', 'both'] } },
      propertyNames: { minLength: 1, maxLength: 255 },
      additionalProperties: specValue,
    },
  },
  additionalProperties: false,
} as const;

/** The answer of PUT /qos-specs/{id}. */
export const qosSpecsSetResponse = { title: 'QosSpecsSetResponse', type: 'object', required: ['qos_specs'], properties: { qos_specs: specMap }, additionalProperties: false } as const;

/** PUT /qos-specs/{id}/delete_keys. */
export const qosSpecsUnsetRequest = {
  title: 'QosSpecsUnsetRequest',
  type: 'object',
  required: ['keys'],
  properties: { keys: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 255 } } },
  additionalProperties: false,
} as const;

/** GET /qos-specs/{id}/associations. */
export const qosAssociationsResponse = {
  title: 'QosAssociations',
  type: 'object',
  required: ['qos_associations'],
  properties: {
    qos_associations: {
      type: 'array',
      items: { type: 'object', required: ['association_type', 'name', 'id'], properties: { association_type: { const: 'volume_type' }, name: { type: 'string' }, id: { type: 'string' } }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

/** GET /qos-specs. */
export const qosListQuery = { type: 'object', properties: { ...pagingQuery } } as const;

/** `?vol_type_id=` of associate and disassociate. */
export const qosTypeQuery = { type: 'object', properties: { vol_type_id: { type: 'string', maxLength: 255 } } } as const;

/** `?force=` of DELETE /qos-specs/{id}. */
export const qosDeleteQuery = { type: 'object', properties: { force: { type: 'string' } } } as const;
