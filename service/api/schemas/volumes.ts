import { boolLike, intLike, links, metadata, nameOrNull, pagingQuery, queryBool, queryBoolExact, queryInt, querySort, timestamp, uuid } from './common.js';

const uuidOrNull = { anyOf: [uuid, { type: 'null' }] } as const;

/** POST /volumes. */
export const volumeCreateRequest = {
  title: 'VolumeCreateRequest',
  type: 'object',
  required: ['volume'],
  properties: {
    volume: {
      type: 'object',
      properties: {
        size: { anyOf: [intLike, { type: 'null' }] },
        name: nameOrNull,
        display_name: nameOrNull,
        description: nameOrNull,
        display_description: nameOrNull,
        availability_zone: { type: ['string', 'null'], maxLength: 255 },
        volume_type: { type: ['string', 'null'], maxLength: 255 },
        snapshot_id: uuidOrNull,
        source_volid: uuidOrNull,
        metadata: { anyOf: [metadata, { type: 'null' }] },
        multiattach: boolLike,
        imageRef: { type: ['string', 'null'] },
        backup_id: { type: ['string', 'null'] },
        consistencygroup_id: { type: ['string', 'null'] },
        group_id: { type: ['string', 'null'] },
        bootable: boolLike,
      },
      additionalProperties: false,
    },
    'OS-SCH-HNT:scheduler_hints': { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

/** PUT /volumes/{id}. */
export const volumeUpdateRequest = {
  title: 'VolumeUpdateRequest',
  type: 'object',
  required: ['volume'],
  properties: {
    volume: {
      type: 'object',
      minProperties: 1,
      properties: {
        name: nameOrNull,
        display_name: nameOrNull,
        description: nameOrNull,
        display_description: nameOrNull,
        metadata,
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const attachment = {
  type: 'object',
  required: ['id', 'attachment_id', 'volume_id', 'server_id', 'host_name', 'device', 'attached_at'],
  properties: {
    id: { type: 'string' },
    attachment_id: { type: 'string' },
    volume_id: { type: 'string' },
    server_id: { type: ['string', 'null'] },
    host_name: { type: ['string', 'null'] },
    device: { type: ['string', 'null'] },
    attached_at: timestamp,
  },
} as const;

/** A volume as GET /volumes/{id} shows it (fields marked by their first microversion in the description). */
export const volume = {
  title: 'Volume',
  type: 'object',
  required: ['id', 'name', 'description', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'attachments', 'bootable', 'encrypted', 'links', 'metadata', 'multiattach', 'replication_status', 'snapshot_id', 'source_volid', 'user_id', 'volume_type', 'os-vol-tenant-attr:tenant_id'],
  properties: {
    id: uuid,
    name: nameOrNull,
    description: nameOrNull,
    status: { enum: ['creating', 'available', 'reserved', 'attaching', 'detaching', 'in-use', 'maintenance', 'deleting', 'awaiting-transfer', 'error', 'error_deleting', 'backing-up', 'restoring-backup', 'error_backing-up', 'error_restoring', 'error_extending', 'downloading', 'uploading', 'retyping', 'extending', 'reverting'] },
    size: { type: 'integer', minimum: 1 },
    availability_zone: { type: 'string' },
    created_at: { type: 'string' },
    updated_at: timestamp,
    attachments: { type: 'array', items: attachment },
    bootable: { enum: ['true', 'false'] },
    encrypted: { type: 'boolean' },
    links,
    metadata,
    multiattach: { type: 'boolean' },
    replication_status: { type: ['string', 'null'] },
    consistencygroup_id: { type: ['string', 'null'] },
    snapshot_id: { type: ['string', 'null'] },
    source_volid: { type: ['string', 'null'] },
    user_id: { type: 'string' },
    volume_type: { type: ['string', 'null'] },
    'os-vol-tenant-attr:tenant_id': { type: 'string' },
    'os-vol-host-attr:host': { type: ['string', 'null'], description: 'Administrators only.' },
    'os-vol-mig-status-attr:migstat': { type: ['string', 'null'], description: 'Administrators only.' },
    'os-vol-mig-status-attr:name_id': { type: ['string', 'null'], description: 'Administrators only.' },
    migration_status: { type: ['string', 'null'], description: 'Administrators only.' },
    group_id: { type: ['string', 'null'], description: '3.13+' },
    provider_id: { type: ['string', 'null'], description: '3.21+, administrators only.' },
    service_uuid: { type: ['string', 'null'], description: '3.48+' },
    shared_targets: { type: ['boolean', 'null'], description: '3.48+' },
    cluster_name: { type: ['string', 'null'], description: '3.61+, administrators only.' },
    volume_type_id: { type: ['string', 'null'], description: '3.63+' },
    consumes_quota: { type: 'boolean', description: '3.65+' },
    volume_image_metadata: { type: 'object', additionalProperties: { type: 'string' }, description: 'Image metadata (os-set_image_metadata), when the volume has any; shown by GET /volumes/{id}.' },
  },
  additionalProperties: false,
} as const;

/** A volume in a plain (non-detail) list. */
export const volumeSummaryItem = {
  title: 'VolumeListItem',
  type: 'object',
  required: ['id', 'name', 'links'],
  properties: { id: uuid, name: nameOrNull, links },
  additionalProperties: false,
} as const;

/** `{"volume": Volume}`. */
export const volumeResponse = { title: 'VolumeResponse', type: 'object', required: ['volume'], properties: { volume }, additionalProperties: false } as const;

const listProps = (item: object) => ({
  volumes: { type: 'array', items: item },
  volumes_links: links,
  count: { type: 'integer', description: '3.45+, with `with_count=true`.' },
});

/** GET /volumes. */
export const volumeListResponse = { title: 'VolumeList', type: 'object', required: ['volumes'], properties: listProps(volumeSummaryItem), additionalProperties: false } as const;

/** GET /volumes/detail. */
export const volumeDetailListResponse = { title: 'VolumeDetailList', type: 'object', required: ['volumes'], properties: listProps(volume), additionalProperties: false } as const;

/** GET /volumes/summary (3.12). */
export const volumeSummaryResponse = {
  title: 'VolumeSummary',
  type: 'object',
  required: ['volume-summary'],
  properties: {
    'volume-summary': {
      type: 'object',
      required: ['total_size', 'total_count'],
      properties: {
        total_size: { type: 'integer' },
        total_count: { type: 'integer' },
        metadata: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: '3.36+' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** POST /os-volume-manage and /manageable_volumes: adopt a volume that exists on a backend. */
export const volumeManageRequest = {
  title: 'VolumeManageRequest',
  type: 'object',
  required: ['volume'],
  properties: {
    volume: {
      type: 'object',
      required: ['ref'],
      properties: {
        host: { type: ['string', 'null'], maxLength: 255, description: 'host@backend[#pool] that holds the volume.' },
        cluster: { type: ['string', 'null'], maxLength: 255, description: '3.16+' },
        ref: { type: ['object', 'string'], description: 'What the driver needs to find the volume, e.g. {"source-name": "..."}.' },
        name: { type: ['string', 'null'], maxLength: 255 },
        description: { type: ['string', 'null'], maxLength: 255 },
        volume_type: { type: ['string', 'null'], maxLength: 255 },
        availability_zone: { type: ['string', 'null'], maxLength: 255 },
        bootable: { type: ['boolean', 'string'] },
        metadata: { anyOf: [{ type: 'object', additionalProperties: { type: 'string' } }, { type: 'null' }] },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** GET /manageable_volumes[/detail] (3.8). */
export const manageableVolumeListResponse = {
  title: 'ManageableVolumeList',
  type: 'object',
  required: ['manageable-volumes'],
  properties: {
    'manageable-volumes': {
      type: 'array',
      items: {
        type: 'object',
        required: ['reference', 'size', 'safe_to_manage'],
        properties: {
          reference: { type: 'object', additionalProperties: { type: 'string' } },
          size: { type: 'integer' },
          safe_to_manage: { type: 'boolean' },
          reason_not_safe: { type: ['string', 'null'] },
          cinder_id: { type: ['string', 'null'] },
          extra_info: { type: ['object', 'null'] },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

/** Query of GET /volumes and /volumes/detail. */
export const volumeListQuery = {
  type: 'object',
  properties: {
    ...pagingQuery,
    name: { type: 'string' },
    'name~': { type: 'string', description: 'Substring match (3.34+).' },
    status: { type: 'string' },
    availability_zone: { type: 'string' },
    bootable: queryBool,
    metadata: { type: 'string', description: 'JSON object of metadata that must match.' },
    all_tenants: { ...queryBool, description: 'Administrators: volumes of every project.' },
    project_id: { type: 'string' },
    with_count: { ...queryBoolExact, description: '3.45+' },
  },
} as const;

/** Query of DELETE /volumes/{id}. */
export const volumeDeleteQuery = {
  type: 'object',
  properties: { cascade: queryBoolExact, force: { ...queryBoolExact, description: 'Administrators: delete in any status (3.23+).' } },
} as const;

/** Query of GET /manageable_volumes[/detail] (3.8). */
export const manageableVolumeListQuery = {
  type: 'object',
  required: ['host'],
  properties: { host: { type: 'string' }, limit: queryInt, marker: { type: 'string' }, offset: queryInt, sort: querySort },
} as const;
