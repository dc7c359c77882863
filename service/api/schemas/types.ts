import { boolLike, nameOrNull } from './common.js';

const extraSpecs = { type: 'object', propertyNames: { minLength: 1, maxLength: 255 }, additionalProperties: { type: 'string', maxLength: 255 } } as const;

/** A volume type. */
export const volumeType = {
  title: 'VolumeType',
  type: 'object',
  required: ['id', 'name', 'description', 'is_public', 'extra_specs', 'os-volume-type-access:is_public'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    is_public: { type: 'boolean' },
    'os-volume-type-access:is_public': { type: 'boolean' },
    extra_specs: extraSpecs,
    qos_specs_id: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

/** POST /types. */
export const volumeTypeCreateRequest = {
  title: 'VolumeTypeCreateRequest',
  type: 'object',
  required: ['volume_type'],
  properties: {
    volume_type: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255 },
        description: nameOrNull,
        'os-volume-type-access:is_public': boolLike,
        is_public: boolLike,
        extra_specs: extraSpecs,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /types/{id}. */
export const volumeTypeUpdateRequest = {
  title: 'VolumeTypeUpdateRequest',
  type: 'object',
  required: ['volume_type'],
  properties: {
    volume_type: {
      type: 'object',
      minProperties: 1,
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, description: nameOrNull, is_public: boolLike },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** `{"volume_type": VolumeType}`. */
export const volumeTypeResponse = { title: 'VolumeTypeResponse', type: 'object', required: ['volume_type'], properties: { volume_type: volumeType }, additionalProperties: false } as const;

/** GET /types. */
export const volumeTypeListResponse = { title: 'VolumeTypeList', type: 'object', required: ['volume_types'], properties: { volume_types: { type: 'array', items: volumeType } }, additionalProperties: false } as const;

/** `{"extra_specs": {...}}`. */
export const extraSpecsBody = { title: 'ExtraSpecs', type: 'object', required: ['extra_specs'], properties: { extra_specs: extraSpecs }, additionalProperties: false } as const;

/** One extra spec: `{"key": "value"}`. */
export const extraSpecItem = { title: 'ExtraSpecItem', ...extraSpecs, minProperties: 1, maxProperties: 1 } as const;

/** Type access actions: addProjectAccess, removeProjectAccess. */
export const projectAccessAction = { type: 'object', required: ['project'], properties: { project: { type: 'string', minLength: 1, maxLength: 255 } }, additionalProperties: false } as const;

/** GET /types/{id}/os-volume-type-access. */
export const typeAccessListResponse = {
  title: 'VolumeTypeAccessList',
  type: 'object',
  required: ['volume_type_access'],
  properties: {
    volume_type_access: { type: 'array', items: { type: 'object', required: ['volume_type_id', 'project_id'], properties: { volume_type_id: { type: 'string' }, project_id: { type: 'string' } }, additionalProperties: false } },
  },
  additionalProperties: false,
} as const;

const defaultType = {
  type: 'object',
  required: ['project_id', 'volume_type_id'],
  properties: { project_id: { type: 'string' }, volume_type_id: { type: 'string' } },
  additionalProperties: false,
} as const;

/** PUT /default-types/{project} (3.62). */
export const defaultTypeSetRequest = {
  title: 'DefaultTypeSetRequest',
  type: 'object',
  required: ['default_type'],
  properties: { default_type: { type: 'object', required: ['volume_type'], properties: { volume_type: { type: 'string', minLength: 1 } }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** `{"default_type": {...}}`. */
export const defaultTypeResponse = { title: 'DefaultTypeResponse', type: 'object', required: ['default_type'], properties: { default_type: defaultType }, additionalProperties: false } as const;

/** GET /default-types. */
export const defaultTypeListResponse = { title: 'DefaultTypeList', type: 'object', required: ['default_types'], properties: { default_types: { type: 'array', items: defaultType } }, additionalProperties: false } as const;

/** GET /types/{id}/encryption: `{}` for a type without encryption (the only kind here). */
export const typeEncryptionResponse = { title: 'VolumeTypeEncryption', type: 'object', maxProperties: 0 } as const;

/** POST /types/{id}/encryption and PUT /types/{id}/encryption/{spec}. */
export const typeEncryptionRequest = {
  title: 'VolumeTypeEncryptionRequest',
  type: 'object',
  required: ['encryption'],
  properties: { encryption: { type: 'object', properties: { provider: { type: 'string' }, cipher: { type: ['string', 'null'] }, key_size: { type: ['integer', 'null'] }, control_location: { enum: ['front-end', 'back-end'] } } } },
  additionalProperties: false,
} as const;
