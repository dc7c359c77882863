import type { RequestContext } from '../auth/context.js';
import type { AttachmentsTable, MessagesTable, SnapshotsTable, VolumeTypesTable, VolumesTable } from '../db/tables.js';
import { parseMap } from '../util.js';
import { atLeast, type ApiVersion } from './microversion.js';
import { visibleExtraSpecs } from '../../core/catalog/extra-specs.js';

/** Links of a resource, in Cinder's self/bookmark form. */
export function resourceLinks(baseUrl: string, projectId: string, collection: string, id: string): { href: string; rel: string }[] {
  return [
    { href: `${baseUrl}/v3/${projectId}/${collection}/${id}`, rel: 'self' },
    { href: `${baseUrl}/${projectId}/${collection}/${id}`, rel: 'bookmark' },
  ];
}

/** The `attachments` entries of a volume. */
export function volumeAttachmentsView(volumeId: string, rows: readonly AttachmentsTable[]): object[] {
  return rows
    .filter((a) => a.status === 'attached')
    .map((a) => ({ id: volumeId, attachment_id: a.id, volume_id: volumeId, server_id: a.instance_uuid, host_name: a.attached_host, device: a.mountpoint, attached_at: a.attach_time }));
}

/** A volume as the API shows it at microversion `v` to `ctx`. */
export function volumeView(v: VolumesTable, typeName: string | null, attachments: readonly AttachmentsTable[], ver: ApiVersion, ctx: RequestContext, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    description: v.description,
    status: v.status,
    size: v.size,
    availability_zone: v.availability_zone,
    created_at: v.created_at,
    updated_at: v.updated_at,
    attachments: volumeAttachmentsView(v.id, attachments),
    bootable: v.bootable ? 'true' : 'false',
    encrypted: false,
    links: resourceLinks(baseUrl, v.project_id, 'volumes', v.id),
    metadata: parseMap(v.metadata),
    multiattach: v.multiattach === 1,
    replication_status: null,
    consistencygroup_id: null,
    snapshot_id: v.snapshot_id,
    source_volid: v.source_volid,
    user_id: v.user_id,
    volume_type: typeName,
    'os-vol-tenant-attr:tenant_id': v.project_id,
  };
  if (ctx.isAdmin) {
    out['os-vol-host-attr:host'] = v.host;
    out['os-vol-mig-status-attr:migstat'] = v.migration_status;
    out['os-vol-mig-status-attr:name_id'] = null;
    out.migration_status = v.migration_status;
  }
  if (atLeast(ver, '3.13')) out.group_id = v.group_id ?? null;
  if (atLeast(ver, '3.21') && ctx.isAdmin) out.provider_id = null;
  if (atLeast(ver, '3.48')) {
    out.service_uuid = null;
    out.shared_targets = atLeast(ver, '3.69') ? null : false;
  }
  if (atLeast(ver, '3.61') && ctx.isAdmin) out.cluster_name = null;
  if (atLeast(ver, '3.63')) out.volume_type_id = v.volume_type_id;
  if (atLeast(ver, '3.65')) out.consumes_quota = true;
  return out;
}

/** A snapshot as the API shows it. */
export function snapshotView(s: SnapshotsTable, ver: ApiVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    size: s.size,
    volume_id: s.volume_id,
    created_at: s.created_at,
    updated_at: s.updated_at,
    metadata: parseMap(s.metadata),
    'os-extended-snapshot-attributes:progress': s.progress,
    'os-extended-snapshot-attributes:project_id': s.project_id,
  };
  if (atLeast(ver, '3.14')) out.group_snapshot_id = s.group_snapshot_id ?? null;
  if (atLeast(ver, '3.41')) out.user_id = s.user_id;
  if (atLeast(ver, '3.65')) out.consumes_quota = true;
  return out;
}

/** A volume type; extra specs are shown to administrators (as Cinder's default policy does). */
export function typeView(t: VolumeTypesTable, ctx: RequestContext): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public === 1,
    'os-volume-type-access:is_public': t.is_public === 1,
    // Members see the catalog's user-visible keys (encryption, replication, ...); admins see all.
    extra_specs: visibleExtraSpecs(parseMap(t.extra_specs), { admin: ctx.isAdmin }),
    qos_specs_id: t.qos_specs_id ?? null,
  };
}

/** An attachment (3.27). */
export function attachmentView(a: AttachmentsTable, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: a.id, status: a.status, instance: a.instance_uuid, volume_id: a.volume_id };
  if (full) {
    // Cinder prints missing times as '' here (not null) and does not show the connector.
    out.attached_at = a.attach_time ?? '';
    out.detached_at = a.detach_time ?? '';
    out.attach_mode = a.attach_mode;
    out.connection_info = a.connection_info ? (JSON.parse(a.connection_info) as object) : null;
  }
  return out;
}

/** A user message. */
export function messageView(m: MessagesTable, baseUrl: string): Record<string, unknown> {
  return {
    id: m.id,
    request_id: m.request_id,
    resource_type: m.resource_type,
    resource_uuid: m.resource_uuid,
    event_id: m.event_id,
    message_level: m.message_level,
    user_message: m.user_message,
    created_at: m.created_at,
    guaranteed_until: m.expires_at,
    links: resourceLinks(baseUrl, m.project_id, 'messages', m.id),
  };
}
