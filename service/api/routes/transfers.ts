import type { FastifyInstance } from 'fastify';
import type { TransfersTable } from '../../db/area-tables.js';
import { findOpenTransfers } from '../../db/repositories/transfers.js';
import { acceptTransfer, createTransfer, deleteTransfer, visibleTransfer } from '../../domain/transfers/transfers.js';
import { toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { pageParams, paginate, queryValue } from '../listing.js';
import { atLeast } from '../microversion.js';
import type { Microversion } from '../route-doc.js';
import * as T from '../schemas/transfers.js';
import { resourceLinks } from '../views.js';

const SORT_KEYS = ['id', 'name', 'volume_id', 'created_at'];

/** One of the two transfer APIs: `os-volume-transfer` (3.0) and `volume-transfers` (3.55, with snapshots per `no_snapshots`). */
interface TransferApi {
  readonly collection: 'os-volume-transfer' | 'volume-transfers';
  readonly min: Microversion;
  readonly prefix: string;
}

const APIS: readonly TransferApi[] = [
  { collection: 'os-volume-transfer', min: '3.0', prefix: '' },
  { collection: 'volume-transfers', min: '3.55', prefix: 'V355' },
];

/** Volume transfers: offer a volume to another project, which accepts it with the auth key. */
export function registerTransferRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  for (const api of APIS) registerOne(app, env, deps, api);
}

function registerOne(app: FastifyInstance, env: RouteEnv, deps: ApiDeps, api: TransferApi): void {
  const { db } = deps;
  const tags = ['volume-transfers'];
  const { collection, min } = api;
  const op = (name: string) => `${name}${api.prefix}`;
  const summaryView = (t: TransfersTable, req: ApiRequest) => ({ id: t.id, name: t.name, volume_id: t.volume_id, links: resourceLinks(req.baseUrl, req.urlProjectId ?? req.ctx.projectId, collection, t.id) });
  const detailView = (t: TransfersTable, req: ApiRequest): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...summaryView(t, req), created_at: t.created_at };
    if (collection === 'volume-transfers') {
      out.no_snapshots = t.no_snapshots === 1;
      if (atLeast(req.version, '3.57')) Object.assign(out, { source_project_id: t.source_project_id, destination_project_id: t.destination_project_id, accepted: t.accepted === 1 });
    }
    return out;
  };
  const listed = async (req: ApiRequest): Promise<TransfersTable[]> => {
    const all = req.ctx.isAdmin && toBool(queryValue(req.query, 'all_tenants'));
    const page = pageParams(req.query, SORT_KEYS, deps.config.maxLimit);
    return paginate(await findOpenTransfers(db, all ? undefined : req.ctx.projectId, page.sort), page, 'transfer').items;
  };

  defineRoute(app, env, {
    method: 'POST', path: `/${collection}`,
    doc: {
      operationId: op('createTransfer'), summary: 'Offer a volume to another project; the answer carries the auth key, shown only once.', tags, min,
      body: [{ schema: collection === 'volume-transfers' ? T.transferCreateRequestV355 : T.transferCreateRequest }],
      responses: { 202: [{ schema: T.transferCreateResponse }] }, errors: ['VOLUME_NOT_FOUND', 'INVALID_STATE'],
    },
    handler: async (req: ApiRequest<{ transfer: { volume_id: string; name?: string | null; no_snapshots?: unknown } }>) => {
      const b = req.body.transfer;
      const { row, authKey } = await createTransfer(deps, req.ctx, { volumeId: b.volume_id, name: b.name, noSnapshots: toBool(b.no_snapshots) });
      return { status: 202, body: { transfer: { ...detailView(row, req), auth_key: authKey } } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: `/${collection}`,
    doc: { operationId: op('listTransfers'), summary: 'List the open transfers of the project.', tags, min, query: T.transferListQuery, responses: { 200: [{ schema: T.transferListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { transfers: (await listed(req)).map((t) => summaryView(t, req)) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: `/${collection}/detail`,
    doc: { operationId: op('listTransfersDetail'), summary: 'List the open transfers of the project in detail.', tags, min, query: T.transferListQuery, responses: { 200: [{ schema: T.transferDetailListResponse }] }, errors: ['BAD_REQUEST', 'NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { transfers: (await listed(req)).map((t) => detailView(t, req)) } }),
  });
  defineRoute(app, env, {
    method: 'GET', path: `/${collection}/:id`,
    doc: { operationId: op('showTransfer'), summary: 'Show an open transfer.', tags, min, responses: { 200: [{ schema: T.transferResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { transfer: detailView(await visibleTransfer(db, req.ctx, req.params.id!), req) } }),
  });
  defineRoute(app, env, {
    method: 'DELETE', path: `/${collection}/:id`,
    doc: { operationId: op('deleteTransfer'), summary: 'Withdraw a transfer; the volume is available again.', tags, min, responses: { 202: [] }, errors: ['NOT_FOUND'] },
    handler: async (req) => {
      await deleteTransfer(deps, req.ctx, req.params.id!);
      return { status: 202 };
    },
  });
  defineRoute(app, env, {
    method: 'POST', path: `/${collection}/:id/accept`,
    doc: { operationId: op('acceptTransfer'), summary: 'Accept a transfer with its auth key: the volume joins the caller\'s project.', tags, min, body: [{ schema: T.transferAcceptRequest }], responses: { 202: [{ schema: T.transferAcceptResponse }] }, errors: ['NOT_FOUND', 'BAD_REQUEST', 'QUOTA_EXCEEDED', 'INVALID_STATE'] },
    handler: async (req: ApiRequest<{ accept: { auth_key: string } }>) => {
      const t = await acceptTransfer(deps, req.ctx, req.params.id!, req.body.accept.auth_key);
      return { status: 202, body: { transfer: summaryView(t, req) } };
    },
  });
}
