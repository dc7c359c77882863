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

// Query-string parameters arrive as text, and handlers read them as text: these schemas
// describe the text Cinder accepts, so the document, the validation and the handlers agree.

/** Matches `word` in any letter case (ajv patterns take no flags). */
function caseless(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
}

const BOOL_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off', 't', 'f', 'y', 'n'];
const KEY = '[A-Za-z0-9_.~-]+';
const DIR = `(${caseless('asc')}|${caseless('desc')})`;

/** A boolean query parameter as Cinder reads it (`bool_from_string`): true/false, yes/no, on/off, t/f, y/n in any case, 1/0. */
export const queryBool = { type: 'string', pattern: `^\\s*(${BOOL_WORDS.map(caseless).join('|')}|1|0)\\s*$` } as const;

/**
 * A boolean query parameter Cinder reads with `get_bool_param` (`with_count`, `cascade`,
 * `force`, `detail`, `usage`): the same words, but exactly as sent — it does not strip
 * spaces before checking (`with_count=%20true` is 400 there).
 */
export const queryBoolExact = { type: 'string', pattern: `^(${BOOL_WORDS.map(caseless).join('|')}|1|0)$` } as const;

/**
 * A non-negative integer query parameter (`limit=10`), as Python's `int()` reads it:
 * decimal digits, an optional `+`, spaces around. `limit=`, `1e20`, `0x10` and `-1` are
 * 400; a larger limit than the service serves is capped, as Cinder caps it.
 */
export const queryInt = { type: 'string', pattern: '^\\s*\\+?[0-9]+\\s*$' } as const;

/** `sort=key[:asc|desc][,key[:asc|desc]...]`. */
export const querySort = {
  type: 'string',
  pattern: `^\\s*${KEY}(:${DIR})?(\\s*,\\s*${KEY}(:${DIR})?)*\\s*,?\\s*$`,
  description: 'key[:asc|desc][,key[:asc|desc]...]',
} as const;

/** The older `sort_key=k1,k2`. */
export const querySortKey = { type: 'string', pattern: `^\\s*${KEY}(\\s*,\\s*${KEY})*\\s*$` } as const;

/** The older `sort_dir=asc,desc`, one per `sort_key`. */
export const querySortDir = { type: 'string', pattern: `^\\s*${DIR}(\\s*,\\s*${DIR})*\\s*$` } as const;

/** The paging parameters every list takes. */
export const pagingQuery = {
  limit: { ...queryInt, description: 'At most this many items (capped by the service).' },
  marker: { type: 'string', description: 'Id of the last item of the previous page.' },
  sort: querySort,
  sort_key: { ...querySortKey, description: 'Deprecated: use sort.' },
  sort_dir: { ...querySortDir, description: 'Deprecated: use sort.' },
} as const;
