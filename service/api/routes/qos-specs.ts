import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { QosSpecsTable } from '../../db/area-tables.js';
import { listQos, typesWithQos } from '../../db/repositories/qos-specs.js';
import { associateQos, createQos, deleteQos, disassociateAllQos, disassociateQos, qosById, setQosKeys, unsetQosKeys } from '../../domain/qos/qos-specs.js';
import { parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { nextLink, pageParams, paginate, queryValue } from '../listing.js';
import * as Q from '../schemas/qos-specs.js';
import { resourceLinks } from '../views.js';

const tags = ['qos-specs'];
const SORT_KEYS = ['id', 'name', 'consumer', 'created_at'];

function qosView(row: QosSpecsTable): Record<string, unknown> {
  return { id: row.id, name: row.name, consumer: row.consumer, specs: parseMap(row.specs) };
}

/** The vol_type_id query parameter of associate and disassociate. @throws BAD_REQUEST when absent. */
function typeIdOf(req: ApiRequest): string {
  const id = queryValue(req.query, 'vol_type_id');
  if (!id) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Volume Type id must not be None.' } });
  return id;
}

/**
 * QoS specs (admin only, as in Cinder's default policy): CRUD, keys, and associations with
 * volume types. Associate and disassociate are GETs with a query parameter, as Cinder
 * spells them.
 */
export function registerQosSpecsRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const links = (req: ApiRequest, id: string) => resourceLinks(req.baseUrl, req.urlProjectId ?? req.ctx.projectId, 'qos-specs', id);

  defineRoute(app, env, {
    method: 'GET', path: '/qos-specs',
    doc: { operationId: 'listQosSpecs', summary: 'List QoS specs.', tags, adminOnly: true, query: Q.qosListQuery, responses: { 200: [{ schema: Q.qosSpecsListResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => {
      const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
      const { items, more } = paginate(await listQos(db, page.sort), page, 'qos specs');
      const next = nextLink(req.baseUrl, `/v3/${req.urlProjectId ?? req.ctx.projectId}/qos-specs`, req.query, items.at(-1)?.id, more);
      return { status: 200, body: { qos_specs: items.map(qosView), ...(next ? { qos_specs_links: next } : {}) } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/qos-specs',
    doc: { operationId: 'createQosSpecs', summary: 'Create QoS specs; keys beside name and consumer are the specs.', tags, adminOnly: true, body: [{ schema: Q.qosSpecsCreateRequest }], responses: { 200: [{ schema: Q.qosSpecsResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST', 'CONFLICT'] },
    handler: async (req: ApiRequest<{ qos_specs: Record<string, string> }>) => {
      const row = await createQos(db, req.body.qos_specs);
      return { status: 200, body: { qos_specs: qosView(row), links: links(req, row.id) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/qos-specs/:id',
    doc: { operationId: 'showQosSpecs', summary: 'Show QoS specs.', tags, adminOnly: true, responses: { 200: [{ schema: Q.qosSpecsResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const row = await qosById(db, req.params.id!);
      return { status: 200, body: { qos_specs: qosView(row), links: links(req, row.id) } };
    },
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/qos-specs/:id',
    doc: { operationId: 'setQosSpecsKeys', summary: 'Add or change keys of QoS specs.', tags, adminOnly: true, body: [{ schema: Q.qosSpecsSetRequest }], responses: { 200: [{ schema: Q.qosSpecsSetResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ qos_specs: Record<string, string> }>) => {
      await setQosKeys(db, req.params.id!, req.body.qos_specs);
      return { status: 200, body: { qos_specs: req.body.qos_specs } };
    },
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/qos-specs/:id',
    doc: { operationId: 'deleteQosSpecs', summary: 'Delete QoS specs (force: even while associated).', tags, adminOnly: true, query: Q.qosDeleteQuery, responses: { 202: [] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req) => {
      await deleteQos(db, req.params.id!, toBool(queryValue(req.query, 'force')));
      return { status: 202 };
    },
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/qos-specs/:id/delete_keys',
    doc: { operationId: 'unsetQosSpecsKeys', summary: 'Remove keys of QoS specs.', tags, adminOnly: true, body: [{ schema: Q.qosSpecsUnsetRequest }], responses: { 202: [] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ keys: string[] }>) => {
      await unsetQosKeys(db, req.params.id!, req.body.keys);
      return { status: 202 };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/qos-specs/:id/associations',
    doc: { operationId: 'listQosAssociations', summary: 'The volume types associated with QoS specs.', tags, adminOnly: true, responses: { 200: [{ schema: Q.qosAssociationsResponse }] }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
    handler: async (req) => {
      const row = await qosById(db, req.params.id!);
      const types = await typesWithQos(db, row.id);
      return { status: 200, body: { qos_associations: types.map((t) => ({ association_type: 'volume_type', name: t.name, id: t.id })) } };
    },
  });

  const association = (path: string, operationId: string, summary: string, run: (req: ApiRequest) => Promise<void>) =>
    defineRoute(app, env, {
      method: 'GET', path: `/qos-specs/:id/${path}`,
      doc: { operationId, summary, tags, adminOnly: true, query: Q.qosTypeQuery, responses: { 202: [] }, errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'] },
      handler: async (req) => {
        await run(req);
        return { status: 202 };
      },
    });
  association('associate', 'associateQosSpecs', 'Associate QoS specs with a volume type (`vol_type_id`).', (req) => associateQos(db, req.params.id!, typeIdOf(req)));
  association('disassociate', 'disassociateQosSpecs', 'Disassociate QoS specs from a volume type (`vol_type_id`).', (req) => disassociateQos(db, req.params.id!, typeIdOf(req)));
  association('disassociate_all', 'disassociateAllQosSpecs', 'Disassociate QoS specs from every volume type.', (req) => disassociateAllQos(db, req.params.id!));
}
