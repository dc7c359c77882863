import { boolLike, nameOrNull, pagingQuery, queryBool } from './common.js';

const groupSpecs = { type: 'object', propertyNames: { minLength: 1, maxLength: 255 }, additionalProperties: { type: 'string', maxLength: 255 } } as const;

/** A group type (3.11); `group_specs` is shown to administrators. */
export const groupType = {
  title: 'GroupType',
  type: 'object',
  required: ['id', 'name', 'description', 'is_public'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] }, is_public: { type: 'boolean' }, group_specs: groupSpecs },
  additionalProperties: false,
} as const;

/** POST /group_types. */
export const groupTypeCreateRequest = {
  title: 'GroupTypeCreateRequest',
  type: 'object',
  required: ['group_type'],
  properties: {
    group_type: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, description: nameOrNull, is_public: boolLike, group_specs: groupSpecs },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** PUT /group_types/{id}. */
export const groupTypeUpdateRequest = {
  title: 'GroupTypeUpdateRequest',
  type: 'object',
  required: ['group_type'],
  properties: {
    group_type: {
      type: 'object',
      minProperties: 1,
      properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, description: nameOrNull, is_public: boolLike },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** `{"group_type": GroupType}`. */
export const groupTypeResponse = { title: 'GroupTypeResponse', type: 'object', required: ['group_type'], properties: { group_type: groupType }, additionalProperties: false } as const;

/** GET /group_types. */
export const groupTypeListResponse = { title: 'GroupTypeList', type: 'object', required: ['group_types'], properties: { group_types: { type: 'array', items: groupType } }, additionalProperties: false } as const;

/** GET /group_types query: paging and `is_public` (true, false, or `None` for all; administrators only). */
export const groupTypeListQuery = { type: 'object', properties: { ...pagingQuery, is_public: { anyOf: [queryBool, { type: 'string', pattern: '^[Nn][Oo][Nn][Ee]$' }] } } } as const;

/** `{"group_specs": {...}}`. */
export const groupSpecsBody = { title: 'GroupSpecs', type: 'object', required: ['group_specs'], properties: { group_specs: groupSpecs }, additionalProperties: false } as const;

/** One group spec: `{"key": "value"}`. */
export const groupSpecItem = { title: 'GroupSpecItem', ...groupSpecs, minProperties: 1, maxProperties: 1 } as const;
