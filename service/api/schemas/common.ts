/**
 * Building blocks shared by the API schemas. Every schema here is JSON Schema 2020-12 and
 * is used twice: by the service to validate requests (and responses when asked) and by the
 * OpenAPI builder through each route's RouteDoc.
 */

/** A UUID in canonical form. */
export const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' } as const;

/** A user-visible name or description (Cinder allows up to 255 characters, and null). */
export const nameOrNull = { type: ['string', 'null'], maxLength: 255 } as const;

/** Free-form string metadata. */
export const metadata = {
  title: 'Metadata',
  type: 'object',
  propertyNames: { minLength: 1, maxLength: 255 },
  additionalProperties: { type: 'string', maxLength: 255 },
} as const;

/** `{"metadata": {...}}` request and response. */
export const metadataBody = {
  title: 'MetadataBody',
  type: 'object',
  required: ['metadata'],
  properties: { metadata },
  additionalProperties: false,
} as const;

/** `{"meta": {"key": "value"}}` for a single metadata item. */
export const metaItemBody = {
  title: 'MetadataItemBody',
  type: 'object',
  required: ['meta'],
  properties: { meta: { ...metadata, minProperties: 1, maxProperties: 1 } },
  additionalProperties: false,
} as const;

/** A link of a resource. */
export const links = {
  type: 'array',
  items: { type: 'object', required: ['href', 'rel'], properties: { href: { type: 'string' }, rel: { type: 'string' } } },
} as const;

/** An ISO-8601 timestamp as Cinder prints it, or null. */
export const timestamp = { type: ['string', 'null'] } as const;

/** A Cinder fault: `{"itemNotFound": {"code": 404, "message": "..."}}`. */
export const fault = {
  title: 'Fault',
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'integer' }, message: { type: 'string' } },
  },
} as const;

/** An empty object, the body of actions that take no arguments (`{"os-unreserve": {}}`); Cinder also accepts null. */
export const emptyAction = { type: ['object', 'null'] } as const;

/** An integer given as a number or a numeric string (cinderclient sends both). */
export const intLike = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\s*\\d+\\s*$' }] } as const;

/** A boolean given as a boolean or a string Cinder accepts. */
export const boolLike = { anyOf: [{ type: 'boolean' }, { type: 'string', pattern: '^(true|false|True|False|TRUE|FALSE|yes|no|on|off|1|0|t|f|y|n)$' }] } as const;
