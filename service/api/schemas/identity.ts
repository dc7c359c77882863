/** The Keystone v3 project shapes this service answers for project lookups (see routes/identity.ts). */

const project = {
  type: 'object',
  required: ['id', 'name', 'domain_id', 'enabled'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    domain_id: { type: 'string' },
    description: { type: 'string' },
    enabled: { type: 'boolean' },
    parent_id: { type: ['string', 'null'] },
    is_domain: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    options: { type: 'object' },
    links: { type: 'object', required: ['self'], properties: { self: { type: 'string' } } },
  },
  additionalProperties: false,
} as const;

/** GET /projects/{id}. */
export const projectResponse = { title: 'IdentityProjectResponse', type: 'object', required: ['project'], properties: { project }, additionalProperties: false } as const;

/** GET /projects. */
export const projectListResponse = {
  title: 'IdentityProjectList',
  type: 'object',
  required: ['projects', 'links'],
  properties: { projects: { type: 'array', items: project }, links: { type: 'object', properties: { self: { type: 'string' }, next: { type: ['string', 'null'] }, previous: { type: ['string', 'null'] } } } },
  additionalProperties: false,
} as const;
