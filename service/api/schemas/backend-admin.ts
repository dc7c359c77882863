/** Schemas of the operator routes beyond listing: capabilities, freeze/thaw, cluster state, cleanup, discovery. */

/** A property a backend's volume types may set (GET /capabilities/{host}). */
const capabilityProperty = {
  type: 'object',
  required: ['title', 'description', 'type'],
  properties: { title: { type: 'string' }, description: { type: 'string' }, type: { type: 'string' }, enum: { type: 'array' }, minimum: { type: 'number' }, maximum: { type: 'number' } },
  additionalProperties: false,
} as const;

/** GET /capabilities/{host}. */
export const capabilitiesResponse = {
  title: 'BackendCapabilities',
  type: 'object',
  required: ['namespace', 'volume_backend_name', 'properties'],
  properties: {
    namespace: { type: 'string' },
    vendor_name: { type: ['string', 'null'] },
    volume_backend_name: { type: ['string', 'null'] },
    pool_name: { type: ['string', 'null'] },
    driver_version: { type: ['string', 'null'] },
    storage_protocol: { type: ['string', 'null'] },
    display_name: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    visibility: { type: ['string', 'null'] },
    replication_targets: { type: 'array' },
    properties: { type: 'object', additionalProperties: capabilityProperty },
  },
  additionalProperties: false,
} as const;

/** PUT /os-services/{freeze|thaw|failover_host|failover}: a host (or a cluster from 3.26). */
export const serviceHostRequest = {
  title: 'ServiceHostRequest',
  type: 'object',
  properties: { host: { type: ['string', 'null'], maxLength: 255 }, cluster: { type: ['string', 'null'], maxLength: 255 }, backend_id: { type: ['string', 'null'], maxLength: 255 } },
  additionalProperties: false,
} as const;

/** PUT /os-services/{anything else}: Cinder reads the body only after recognising the action. */
export const anyObjectRequest = { type: ['object', 'null'] } as const;

/** PUT /clusters/{enable|disable} (3.7). */
export const clusterUpdateRequest = {
  title: 'ClusterUpdateRequest',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, binary: { type: 'string', maxLength: 255 }, disabled_reason: { type: ['string', 'null'], maxLength: 255 } },
  additionalProperties: false,
} as const;

/** PUT /clusters/{enable|disable} answer. */
export const clusterUpdateResponse = {
  title: 'ClusterUpdateResponse',
  type: 'object',
  required: ['cluster'],
  properties: {
    cluster: {
      type: 'object',
      required: ['name', 'binary', 'state', 'status'],
      properties: { name: { type: 'string' }, binary: { type: 'string' }, state: { enum: ['up', 'down'] }, status: { enum: ['enabled', 'disabled'] }, disabled_reason: { type: ['string', 'null'] } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** POST /workers/cleanup (3.24). */
export const workerCleanupRequest = {
  title: 'WorkerCleanupRequest',
  type: ['object', 'null'],
  properties: {
    cluster_name: { type: ['string', 'null'] },
    service_id: { type: ['integer', 'null'] },
    host: { type: ['string', 'null'] },
    binary: { type: ['string', 'null'] },
    is_up: { type: ['boolean', 'string', 'null'] },
    disabled: { type: ['boolean', 'string', 'null'] },
    resource_id: { type: ['string', 'null'] },
    resource_type: { type: ['string', 'null'] },
    until: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

const cleanupService = { type: 'object', required: ['id', 'host', 'binary'], properties: { id: { type: 'integer' }, host: { type: 'string' }, binary: { type: 'string' }, cluster_name: { type: ['string', 'null'] } }, additionalProperties: false } as const;

/** POST /workers/cleanup answer. */
export const workerCleanupResponse = {
  title: 'WorkerCleanupResponse',
  type: 'object',
  required: ['cleaning', 'unavailable'],
  properties: { cleaning: { type: 'array', items: cleanupService }, unavailable: { type: 'array', items: cleanupService } },
  additionalProperties: false,
} as const;

/** GET /resource_filters (3.33). */
export const resourceFiltersResponse = {
  title: 'ResourceFilterList',
  type: 'object',
  required: ['resource_filters'],
  properties: {
    resource_filters: {
      type: 'array',
      items: { type: 'object', required: ['resource', 'filters'], properties: { resource: { type: 'string' }, filters: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

const extension = {
  type: 'object',
  required: ['alias', 'name', 'description', 'updated'],
  properties: { alias: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' }, description: { type: 'string' }, updated: { type: 'string' }, links: { type: 'array' } },
  additionalProperties: false,
} as const;

/** GET /extensions. */
export const extensionListResponse = { title: 'ExtensionList', type: 'object', required: ['extensions'], properties: { extensions: { type: 'array', items: extension } }, additionalProperties: false } as const;

/** GET /extensions/{alias}. */
export const extensionResponse = { title: 'ExtensionResponse', type: 'object', required: ['extension'], properties: { extension }, additionalProperties: false } as const;
