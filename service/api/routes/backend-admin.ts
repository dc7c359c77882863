import type { FastifyInstance } from 'fastify';
import { findServices, updateServices, volumeServicesNamed } from '../../db/repositories/services.js';
import { capabilityCatalog } from '../../../core/catalog/catalog.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as B from '../schemas/backend-admin.js';
import type { ServicesTable } from '../../db/tables.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import { echoed } from '../fault-text.js';
import { isServiceUp } from '../../domain/service-liveness.js';

const UPDATED = '2023-03-01T00:00:00+00:00';

/** The Cinder extensions whose routes and fields this service serves (GET /extensions). */
const EXTENSIONS: readonly { alias: string; name: string; description: string }[] = [
  { alias: 'os-admin-actions', name: 'AdminActions', description: 'Reset status and force-delete volumes and snapshots, force-detach and migrate volumes.' },
  { alias: 'os-availability-zone', name: 'AvailabilityZones', description: 'List the availability zones of the volume backends.' },
  { alias: 'capabilities', name: 'Capabilities', description: 'Show what a backend reports and which type properties it accepts.' },
  { alias: 'os-extended-services', name: 'ExtendedServices', description: 'Disable services with a reason.' },
  { alias: 'os-extended-snapshot-attributes', name: 'ExtendedSnapshotAttributes', description: 'Show project and progress of snapshots.' },
  { alias: 'os-quota-class-sets', name: 'QuotaClasses', description: 'Show and change the default quota class.' },
  { alias: 'os-quota-sets', name: 'Quotas', description: 'Show, change and reset project quotas.' },
  { alias: 'scheduler-stats', name: 'Scheduler_stats', description: 'List pools as the scheduler sees them.' },
  { alias: 'os-services', name: 'Services', description: 'List, enable, disable, freeze and thaw services.' },
  { alias: 'os-snapshot-actions', name: 'SnapshotActions', description: 'Actions on snapshots.' },
  { alias: 'os-types-extra-specs', name: 'TypesExtraSpecs', description: 'Extra specs of volume types.' },
  { alias: 'os-types-manage', name: 'TypesManage', description: 'Create, change and delete volume types.' },
  { alias: 'os-used-limits', name: 'UsedLimits', description: 'Usage beside the absolute limits.' },
  { alias: 'os-volume-actions', name: 'VolumeActions', description: 'Attach, detach, extend, retype and other actions on volumes.' },
  { alias: 'os-vol-host-attr', name: 'VolumeHostAttribute', description: 'Show the backend host of volumes to administrators.' },
  { alias: 'os-vol-image-meta', name: 'VolumeImageMetadata', description: 'Image metadata of volumes.' },
  { alias: 'os-vol-mig-status-attr', name: 'VolumeMigStatusAttribute', description: 'Show the migration status of volumes to administrators.' },
  { alias: 'os-vol-tenant-attr', name: 'VolumeTenantAttribute', description: 'Show the project of volumes.' },
  { alias: 'os-volume-manage', name: 'VolumeManage', description: 'Adopt volumes that exist on a backend, and list the candidates.' },
  { alias: 'os-volume-type-access', name: 'VolumeTypeAccess', description: 'Private volume types and the projects that may use them.' },
  { alias: 'os-volume-unmanage', name: 'VolumeUnmanage', description: 'Forget a volume, leaving its data on the backend.' },
];

/** Query filters each list accepts (GET /resource_filters, Cinder's resource_filters.json). */
const RESOURCE_FILTERS: Readonly<Record<string, readonly string[]>> = {
  volume: ['name', 'status', 'metadata', 'bootable', 'migration_status', 'availability_zone', 'group_id', 'size', 'created_at', 'updated_at', 'consumes_quota'],
  backup: ['name', 'status', 'volume_id'],
  snapshot: ['name', 'status', 'volume_id', 'metadata', 'availability_zone', 'consumes_quota'],
  group: ['name'],
  group_snapshot: ['name', 'status', 'group_id'],
  attachment: ['volume_id', 'status', 'instance_id', 'attach_status'],
  message: ['resource_uuid', 'resource_type', 'event_id', 'request_id', 'message_level'],
  pool: ['name', 'volume_type'],
  volume_type: ['is_public', 'extra_specs'],
};


function extensionView(e: (typeof EXTENSIONS)[number]): Record<string, unknown> {
  return { alias: e.alias, name: e.name, namespace: `https://docs.openstack.org/volume/ext/${e.alias}/api/v1`, description: e.description, updated: UPDATED, links: [] };
}

function titleOf(key: string): string {
  return key.replace(/^.*:/, '').split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/**
 * Operator routes: backend capabilities, freeze/thaw and failover of hosts, cluster
 * enable/disable (3.7), worker cleanup (3.24), resource filters (3.33) and the extension
 * list.
 */
export function registerBackendAdminRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const volumeServices = async (host: string | null | undefined, cluster: string | null | undefined): Promise<ServicesTable[]> => {
    return cluster ? findServices(db, { binary: 'cinder-volume', clusterName: cluster.split('#')[0]! }) : findServices(db, { binary: 'cinder-volume', host: (host ?? '').split('#')[0]! });
  };

  defineRoute(app, env, {
    method: 'GET', path: '/capabilities/:host',
    doc: { operationId: 'showBackendCapabilities', summary: "What a volume backend reports and the volume type properties it understands.", tags: ['capabilities'], adminOnly: true, responses: { 200: [{ schema: B.capabilitiesResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const host = req.params.host!;
      const services = await volumeServicesNamed(db, host);
      if (services.length === 0) throw new AshlarError('NOT_FOUND', { message: `Can't find service: ${host}`, details: { resource: 'Service', id: host } });
      const stats = JSON.parse(services[0]!.capabilities ?? '{}') as Record<string, unknown>;
      const supported = new Set(Object.entries(stats).filter(([, v]) => v === true).map(([k]) => k));
      const properties: Record<string, unknown> = {};
      for (const k of capabilityCatalog().keys) {
        // A key tied to a stats flag is offered only when the backend reports that flag.
        if (k.stats.match === 'equal' && k.stats.key && stats[k.stats.key] !== undefined && !supported.has(k.stats.key)) continue;
        properties[k.key] = {
          title: titleOf(k.key),
          description: k.description,
          type: k.type === 'enum' ? 'string' : k.type,
          ...(k.values ? { enum: [...k.values] } : {}),
          ...(k.minimum !== undefined ? { minimum: k.minimum } : {}),
          ...(k.maximum !== undefined ? { maximum: k.maximum } : {}),
        };
      }
      const str = (key: string) => (typeof stats[key] === 'string' ? (stats[key] as string) : null);
      return {
        status: 200,
        body: {
          namespace: `OS::Storage::Capabilities::${services[0]!.host}`,
          vendor_name: str('vendor_name'),
          volume_backend_name: str('volume_backend_name'),
          pool_name: str('pool_name'),
          driver_version: str('driver_version'),
          storage_protocol: str('storage_protocol'),
          display_name: null,
          description: null,
          visibility: null,
          replication_targets: [],
          properties,
        },
      };
    },
  });

  // os-services actions beyond enable/disable (those are in admin.ts).
  const freezeThaw = (freeze: boolean) => async (req: ApiRequest<{ host?: string | null; cluster?: string | null } | null>) => {
    const host = req.body?.host;
    const cluster = req.version.minor >= 26 ? req.body?.cluster : undefined;
    if (!host && !cluster) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Invalid input received: Missing required element host in request body.' } });
    const services = await volumeServices(host, cluster);
    if (services.length === 0) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: Service cinder-volume could not be found on host ${echoed(String(host ?? cluster))}.` } });
    const changing = services.filter((s) => (s.frozen === 1) !== freeze);
    if (changing.length === 0) {
      throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: frozen in [${services.map((s) => `'${s.host}'`).join(', ')}] must be ${freeze ? 'False' : 'True'} to failover.` } });
    }
    // Freezing also disables scheduling to the backend, as Cinder's volume manager does.
    await updateServices(db, changing.map((s) => s.id), freeze ? { frozen: 1, disabled: 1, disabled_reason: 'frozen' } : { frozen: 0, disabled: 0, disabled_reason: null });
    return { status: 200 };
  };
  for (const [action, freeze] of [['freeze', true], ['thaw', false]] as const) {
    defineRoute(app, env, {
      method: 'PUT', path: `/os-services/${action}`,
      doc: { operationId: `service_${action}`, summary: freeze ? 'Freeze a volume backend: no management operations, no scheduling.' : 'Thaw a frozen volume backend.', tags: ['services'], adminOnly: true, body: [{ schema: B.serviceHostRequest }], responses: { 200: [] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
      handler: freezeThaw(freeze),
    });
  }
  const failover = async (req: ApiRequest<{ host?: string | null; cluster?: string | null } | null>) => {
    const host = req.body?.host;
    const cluster = req.body?.cluster;
    const services = await volumeServices(host, cluster);
    if (services.length === 0) throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: Service cinder-volume could not be found on host ${echoed(host ?? cluster ?? '')}.` } });
    // No backend here replicates (replication_status is always disabled), which is what Cinder checks first.
    throw new AshlarError('BAD_REQUEST', { details: { reason: `Invalid input received: replication_status in [${services.map((s) => `'${s.host}'`).join(', ')}] must be enabled or failed-over and must be up to failover.` } });
  };
  defineRoute(app, env, {
    method: 'PUT', path: '/os-services/failover_host',
    doc: { operationId: 'service_failover_host', summary: 'Fail a replicating backend over (no backend here replicates: refused).', tags: ['services'], adminOnly: true, body: [{ schema: B.serviceHostRequest }], responses: { 202: [] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
    handler: failover,
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/os-services/failover',
    doc: { operationId: 'service_failover', summary: 'Fail a replicating backend or cluster over (3.26; no backend here replicates: refused).', tags: ['services'], min: '3.26', adminOnly: true, body: [{ schema: B.serviceHostRequest }], responses: { 202: [] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
    handler: failover,
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/os-services/:action',
    doc: { operationId: 'service_unknown_action', summary: 'Any other os-services action: refused as Cinder refuses it.', tags: ['services'], adminOnly: true, body: [{ schema: B.anyObjectRequest }], responses: { 200: [] }, errors: ['FORBIDDEN', 'BAD_REQUEST'] },
    handler: async () => {
      throw new AshlarError('BAD_REQUEST', { details: { reason: 'Invalid input received: Unknown action' } });
    },
  });

  // Clusters (3.7): enable and disable.
  defineRoute(app, env, {
    // `:name` is the action (enable or disable): the router needs the parameter named as in GET /clusters/:name.
    method: 'PUT', path: '/clusters/:name',
    doc: { operationId: 'updateCluster', summary: 'Enable or disable scheduling to every service of a cluster (the path ends in enable or disable).', tags: ['clusters'], min: '3.7', adminOnly: true, body: [{ schema: B.clusterUpdateRequest }], responses: { 200: [{ schema: B.clusterUpdateResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req: ApiRequest<{ name: string; binary?: string; disabled_reason?: string | null }>) => {
      const action = req.params.name!;
      if (action !== 'enable' && action !== 'disable') throw new AshlarError('NOT_FOUND', { message: 'Unknown action', details: { resource: 'Action', id: action } });
      const disable = action === 'disable';
      const binary = req.body.binary ?? 'cinder-volume';
      const reason = disable ? (req.body.disabled_reason?.trim() || null) : null;
      const members = await findServices(db, { clusterName: req.body.name, binary });
      if (members.length === 0) throw new AshlarError('NOT_FOUND', { message: `Cluster {'name': '${echoed(req.body.name)}', 'binary': '${echoed(binary)}'} could not be found.`, details: { resource: 'Cluster', id: req.body.name } });
      await updateServices(db, members.map((m) => m.id), { disabled: disable ? 1 : 0, disabled_reason: reason });
      return { status: 200, body: { cluster: { name: req.body.name, binary, state: members.some((m) => isServiceUp(m)) ? 'up' : 'down', status: disable ? 'disabled' : 'enabled', disabled_reason: reason } } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/workers/cleanup',
    doc: {
      operationId: 'cleanupWorkers',
      summary: 'Clean up resources left in transitional states by services that are down (3.24).',
      description: 'Work in progress is recovered when a volume service starts; a service that is up has nothing to clean, so the answer lists the matching services that are down as unavailable. Experimental: it belongs to the active-active work, which Cinder itself ships as experimental, and what it cleans here may change without a new microversion.',
      tags: ['workers'], min: '3.24', adminOnly: true, experimental: true, body: [{ schema: B.workerCleanupRequest }], responses: { 202: [{ schema: B.workerCleanupResponse }] }, errors: ['FORBIDDEN'],
    },
    handler: async (req: ApiRequest<{ host?: string | null; binary?: string | null; service_id?: number | null; cluster_name?: string | null } | null>) => {
      const b = req.body;
      const matching = await findServices(db, { binary: b?.binary ?? 'cinder-volume', host: b?.host || undefined, id: b?.service_id ?? undefined, clusterName: b?.cluster_name || undefined });
      const down = matching.filter((s) => !isServiceUp(s));
      return { status: 202, body: { cleaning: [], unavailable: down.map((s) => ({ id: s.id, host: s.host, binary: s.binary, cluster_name: s.cluster_name })) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/resource_filters',
    doc: { operationId: 'listResourceFilters', summary: 'The query filters each list accepts (3.33).', tags: ['resource-filters'], min: '3.33', query: { type: 'object', properties: { resource: { type: 'string' } } }, responses: { 200: [{ schema: B.resourceFiltersResponse }] } },
    handler: async (req) => {
      const only = queryValue(req.query, 'resource');
      const entries = Object.entries(RESOURCE_FILTERS).filter(([r]) => only === undefined || r === only);
      return { status: 200, body: { resource_filters: entries.map(([resource, filters]) => ({ resource, filters: [...filters] })) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/extensions',
    doc: { operationId: 'listExtensions', summary: 'The Cinder API extensions this service offers.', tags: ['extensions'], responses: { 200: [{ schema: B.extensionListResponse }] } },
    handler: async () => ({ status: 200, body: { extensions: EXTENSIONS.map(extensionView) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: '/extensions/:alias',
    doc: { operationId: 'showExtension', summary: 'One API extension.', tags: ['extensions'], responses: { 200: [{ schema: B.extensionResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => {
      const e = EXTENSIONS.find((x) => x.alias === req.params.alias);
      if (!e) throw new AshlarError('NOT_FOUND', { details: { resource: 'Extension', id: req.params.alias } });
      return { status: 200, body: { extension: extensionView(e) } };
    },
  });
}
