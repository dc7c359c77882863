import { links } from './common.js';

const version = {
  type: 'object',
  required: ['id', 'status', 'version', 'min_version', 'updated', 'links', 'media-types'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['CURRENT', 'SUPPORTED', 'DEPRECATED'] },
    version: { type: 'string' },
    min_version: { type: 'string' },
    updated: { type: 'string' },
    links,
    'media-types': { type: 'array', items: { type: 'object', properties: { base: { type: 'string' }, type: { type: 'string' } } } },
  },
} as const;

/** GET /: the versions document (answered with 300 Multiple Choices). */
export const versionsResponse = {
  title: 'Versions',
  type: 'object',
  required: ['versions'],
  properties: { versions: { type: 'array', items: version } },
  additionalProperties: false,
} as const;

/** GET /v3/: the v3 version document. */
export const versionResponse = {
  title: 'Version',
  type: 'object',
  required: ['version'],
  properties: { version },
  additionalProperties: false,
} as const;
