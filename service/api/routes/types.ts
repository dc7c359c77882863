import type { FastifyInstance } from 'fastify';
import { assertValidExtraSpecs } from '../../../core/catalog/extra-specs.js';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as T from '../schemas/types.js';
import { requireAdmin } from '../../auth/policy.js';
import type { VolumeTypesTable } from '../../db/tables.js';
import { newId, now, parseMap, toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import { defaultType, usableType } from '../../domain/lookup.js';
import { typeView } from '../views.js';
import { invalidateTypeNames } from './volumes.js';

const tags = ['volume-types'];

/** Volume types, extra specs, type access and default types (3.62). */
export function registerTypeRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db, config } = deps;
  const load = (req: ApiRequest<unknown>) => usableType(db, req.ctx, req.params.id!);
  const byIdForAdmin = async (id: string): Promise<VolumeTypesTable> => {
    const row = await db.selectFrom('volume_types').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume type', id } });
    return row;
  };

  defineRoute(app, env, {
    method: 'GET', path: '/types',
    doc: { operationId: 'listVolumeTypes', summary: 'List the volume types the caller may use.', tags, query: { type: 'object', properties: { is_public: { type: 'string' } } }, responses: { 200: [{ schema: T.volumeTypeListResponse }] } },
    handler: async (req) => {
      let rows = await db.selectFrom('volume_types').selectAll().orderBy('created_at').execute();
      const isPublic = queryValue(req.query, 'is_public');
      if (req.ctx.isAdmin) {
        if (isPublic !== undefined && isPublic.toLowerCase() !== 'none') rows = rows.filter((r) => (r.is_public === 1) === toBool(isPublic));
      } else {
        const access = new Set((await db.selectFrom('volume_type_access').select('volume_type_id').where('project_id', '=', req.ctx.projectId).execute()).map((r) => r.volume_type_id));
        rows = rows.filter((r) => r.is_public === 1 || access.has(r.id));
      }
      return { status: 200, body: { volume_types: rows.map((r) => typeView(r, req.ctx)) } };
    },
  });

  defineRoute(app, env, {
    method: 'POST', path: '/types',
    doc: { operationId: 'createVolumeType', summary: 'Create a volume type.', tags, adminOnly: true, body: [{ schema: T.volumeTypeCreateRequest }], responses: { 200: [{ schema: T.volumeTypeResponse }] }, errors: ['FORBIDDEN', 'BAD_REQUEST', 'VOLUME_EXISTS'] },
    handler: async (req: ApiRequest<{ volume_type: { name: string; description?: string | null; is_public?: unknown; 'os-volume-type-access:is_public'?: unknown; extra_specs?: Record<string, string> } }>) => {
      const b = req.body.volume_type;
      // Standard capability keys (the catalog) must carry values of their type; other keys are driver-specific.
      assertValidExtraSpecs(b.extra_specs ?? {});
      const name = b.name.trim();
      if (await db.selectFrom('volume_types').select('id').where('name', '=', name).executeTakeFirst()) {
        throw new AshlarError('BAD_REQUEST', { message: `Volume Type ${name} already exists.`, details: { reason: `Volume Type ${name} already exists.` } });
      }
      const row: VolumeTypesTable = {
        id: newId(),
        name,
        description: b.description ?? null,
        is_public: toBool(b['os-volume-type-access:is_public'] ?? b.is_public, true) ? 1 : 0,
        extra_specs: JSON.stringify(b.extra_specs ?? {}),
        created_at: now(),
      };
      await db.insertInto('volume_types').values(row).execute();
      // A volume retyped or created with this type within the cache's second must show its name.
      invalidateTypeNames();
      return { status: 200, body: { volume_type: typeView(row, req.ctx) } };
    },
  });

  defineRoute(app, env, {
    method: 'GET', path: '/types/default',
    doc: { operationId: 'showDefaultVolumeType', summary: "Show the caller's default volume type.", tags, responses: { 200: [{ schema: T.volumeTypeResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { volume_type: typeView(await defaultType(db, req.ctx.projectId, config.defaultVolumeType), req.ctx) } }),
  });

  defineRoute(app, env, {
    method: 'GET', path: '/types/:id',
    doc: { operationId: 'showVolumeType', summary: 'Show a volume type.', tags, responses: { 200: [{ schema: T.volumeTypeResponse }] }, errors: ['NOT_FOUND'] },
    handler: async (req) => ({ status: 200, body: { volume_type: typeView(await load(req), req.ctx) } }),
  });

  defineRoute(app, env, {
    method: 'PUT', path: '/types/:id',
    doc: { operationId: 'updateVolumeType', summary: 'Rename, describe or publish a volume type.', tags, adminOnly: true, body: [{ schema: T.volumeTypeUpdateRequest }], responses: { 200: [{ schema: T.volumeTypeResponse }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req: ApiRequest<{ volume_type: { name?: string; description?: string | null; is_public?: unknown } }>) => {
      const t = await byIdForAdmin(req.params.id!);
      const b = req.body.volume_type;
      const set: Partial<VolumeTypesTable> = {};
      if (b.name !== undefined) set.name = b.name;
      if ('description' in b) set.description = b.description ?? null;
      if (b.is_public !== undefined) set.is_public = toBool(b.is_public) ? 1 : 0;
      await db.updateTable('volume_types').set(set).where('id', '=', t.id).execute();
      invalidateTypeNames();
      return { status: 200, body: { volume_type: typeView({ ...t, ...set }, req.ctx) } };
    },
  });

  defineRoute(app, env, {
    method: 'DELETE', path: '/types/:id',
    doc: { operationId: 'deleteVolumeType', summary: 'Delete an unused volume type.', tags, adminOnly: true, responses: { 202: [] }, errors: ['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'] },
    handler: async (req) => {
      const t = await byIdForAdmin(req.params.id!);
      if (t.name === config.defaultVolumeType) throw new AshlarError('BAD_REQUEST', { details: { reason: 'The configured default volume type cannot be deleted.' } });
      if (await db.selectFrom('volumes').select('id').where('volume_type_id', '=', t.id).executeTakeFirst()) {
        throw new AshlarError('BAD_REQUEST', { details: { reason: 'Target volume type is still in use.' } });
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('volume_type_access').where('volume_type_id', '=', t.id).execute();
        await trx.deleteFrom('default_types').where('volume_type_id', '=', t.id).execute();
        await trx.deleteFrom('volume_types').where('id', '=', t.id).execute();
      });
      invalidateTypeNames();
      return { status: 202 };
    },
  });

  // Extra specs.
  const specTags = ['volume-type-extra-specs'];
  defineRoute(app, env, {
    method: 'GET', path: '/types/:id/extra_specs',
    doc: { operationId: 'listExtraSpecs', summary: 'Show the extra specs of a type.', tags: specTags, adminOnly: true, responses: { 200: [{ schema: T.extraSpecsBody }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => ({ status: 200, body: { extra_specs: parseMap((await byIdForAdmin(req.params.id!)).extra_specs) } }),
  });
  defineRoute(app, env, {
    method: 'POST', path: '/types/:id/extra_specs',
    doc: { operationId: 'setExtraSpecs', summary: 'Add or change extra specs.', tags: specTags, adminOnly: true, body: [{ schema: T.extraSpecsBody }], responses: { 200: [{ schema: T.extraSpecsBody }] }, errors: ['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<{ extra_specs: Record<string, string> }>) => {
      const t = await byIdForAdmin(req.params.id!);
      assertValidExtraSpecs(req.body.extra_specs);
      const specs = { ...parseMap(t.extra_specs), ...req.body.extra_specs };
      await db.updateTable('volume_types').set({ extra_specs: JSON.stringify(specs) }).where('id', '=', t.id).execute();
      return { status: 200, body: { extra_specs: req.body.extra_specs } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/types/:id/extra_specs/:key',
    doc: { operationId: 'showExtraSpec', summary: 'Show one extra spec.', tags: specTags, adminOnly: true, responses: { 200: [{ schema: T.extraSpecItem }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const specs = parseMap((await byIdForAdmin(req.params.id!)).extra_specs);
      const key = req.params.key!;
      if (!(key in specs)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Extra spec', id: key } });
      return { status: 200, body: { [key]: specs[key] } };
    },
  });
  defineRoute(app, env, {
    method: 'PUT', path: '/types/:id/extra_specs/:key',
    doc: { operationId: 'updateExtraSpec', summary: 'Set one extra spec.', tags: specTags, adminOnly: true, body: [{ schema: T.extraSpecItem }], responses: { 200: [{ schema: T.extraSpecItem }] }, errors: ['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'] },
    handler: async (req: ApiRequest<Record<string, string>>) => {
      const t = await byIdForAdmin(req.params.id!);
      const key = req.params.key!;
      if (!(key in req.body)) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Request body and URI mismatch' } });
      assertValidExtraSpecs({ [key]: req.body[key]! });
      const specs = { ...parseMap(t.extra_specs), [key]: req.body[key]! };
      await db.updateTable('volume_types').set({ extra_specs: JSON.stringify(specs) }).where('id', '=', t.id).execute();
      return { status: 200, body: { [key]: specs[key] } };
    },
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/types/:id/extra_specs/:key',
    doc: { operationId: 'deleteExtraSpec', summary: 'Delete one extra spec.', tags: specTags, adminOnly: true, responses: { 202: [] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const t = await byIdForAdmin(req.params.id!);
      const specs = parseMap(t.extra_specs);
      const key = req.params.key!;
      if (!(key in specs)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Extra spec', id: key } });
      delete specs[key];
      await db.updateTable('volume_types').set({ extra_specs: JSON.stringify(specs) }).where('id', '=', t.id).execute();
      return { status: 202 };
    },
  });

  // Type access.
  defineRoute(app, env, {
    method: 'GET', path: '/types/:id/os-volume-type-access',
    doc: { operationId: 'listTypeAccess', summary: 'List the projects that may use a private type.', tags: ['volume-type-access'], adminOnly: true, responses: { 200: [{ schema: T.typeAccessListResponse }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const t = await byIdForAdmin(req.params.id!);
      if (t.is_public === 1) throw new AshlarError('NOT_FOUND', { details: { resource: 'Access list for public volume type', id: t.id } });
      const rows = await db.selectFrom('volume_type_access').selectAll().where('volume_type_id', '=', t.id).execute();
      return { status: 200, body: { volume_type_access: rows.map((r) => ({ volume_type_id: r.volume_type_id, project_id: r.project_id })) } };
    },
  });
  defineRoute(app, env, {
    method: 'POST', path: '/types/:id/action',
    doc: {
      operationId: 'volumeTypeAction', summary: 'Grant or revoke access to a private type.', tags: ['volume-type-access'], adminOnly: true,
      actions: [
        { name: 'addProjectAccess', summary: 'Let a project use the type.', schema: T.projectAccessAction, status: 202, adminOnly: true },
        { name: 'removeProjectAccess', summary: 'Stop a project from using the type.', schema: T.projectAccessAction, status: 202, adminOnly: true },
      ],
      responses: { 202: [] }, errors: ['NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST'],
    },
    actions: {
      addProjectAccess: async (req: ApiRequest<{ project: string }>) => {
        const t = await byIdForAdmin(req.params.id!);
        if (t.is_public === 1) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Invalid volume type: type access modification is not applicable to public volume type.' } });
        const exists = await db.selectFrom('volume_type_access').select('project_id').where('volume_type_id', '=', t.id).where('project_id', '=', req.body.project).executeTakeFirst();
        if (exists) throw new AshlarError('BAD_REQUEST', { message: `Volume type access for ${t.id}/${req.body.project} already exists.`, details: { reason: 'exists' } });
        await db.insertInto('volume_type_access').values({ volume_type_id: t.id, project_id: req.body.project }).execute();
        return { status: 202 };
      },
      removeProjectAccess: async (req: ApiRequest<{ project: string }>) => {
        const t = await byIdForAdmin(req.params.id!);
        const r = await db.deleteFrom('volume_type_access').where('volume_type_id', '=', t.id).where('project_id', '=', req.body.project).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw new AshlarError('NOT_FOUND', { details: { resource: 'Volume type access', id: `${t.id}/${req.body.project}` } });
        return { status: 202 };
      },
    },
  });

  // Default types (3.62).
  const dtTags = ['default-types'];
  defineRoute(app, env, {
    method: 'PUT', path: '/default-types/:project',
    doc: { operationId: 'setDefaultType', summary: "Set a project's default volume type.", tags: dtTags, min: '3.62', adminOnly: true, body: [{ schema: T.defaultTypeSetRequest }], responses: { 200: [{ schema: T.defaultTypeResponse }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req: ApiRequest<{ default_type: { volume_type: string } }>) => {
      const t = await usableType(db, req.ctx, req.body.default_type.volume_type);
      const project = req.params.project!;
      await db.deleteFrom('default_types').where('project_id', '=', project).execute();
      await db.insertInto('default_types').values({ project_id: project, volume_type_id: t.id }).execute();
      return { status: 200, body: { default_type: { project_id: project, volume_type_id: t.id } } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/default-types/:project',
    doc: { operationId: 'showDefaultTypeOf', summary: "Show a project's default volume type.", tags: dtTags, min: '3.62', responses: { 200: [{ schema: T.defaultTypeResponse }] }, errors: ['NOT_FOUND', 'FORBIDDEN'] },
    handler: async (req) => {
      const project = req.params.project!;
      if (!req.ctx.isAdmin && project !== req.ctx.projectId) requireAdmin(req.ctx, 'volume_extension:default_get');
      const r = await db.selectFrom('default_types').selectAll().where('project_id', '=', project).executeTakeFirst();
      if (!r) throw new AshlarError('NOT_FOUND', { details: { resource: 'Default type of project', id: project } });
      return { status: 200, body: { default_type: { project_id: r.project_id, volume_type_id: r.volume_type_id } } };
    },
  });
  defineRoute(app, env, {
    method: 'GET', path: '/default-types',
    doc: { operationId: 'listDefaultTypes', summary: 'List per-project default types.', tags: dtTags, min: '3.62', adminOnly: true, responses: { 200: [{ schema: T.defaultTypeListResponse }] }, errors: ['FORBIDDEN'] },
    handler: async () => ({ status: 200, body: { default_types: (await db.selectFrom('default_types').selectAll().execute()).map((r) => ({ project_id: r.project_id, volume_type_id: r.volume_type_id })) } }),
  });
  defineRoute(app, env, {
    method: 'DELETE', path: '/default-types/:project',
    doc: { operationId: 'unsetDefaultType', summary: "Remove a project's default volume type.", tags: dtTags, min: '3.62', adminOnly: true, responses: { 204: [] }, errors: ['FORBIDDEN'] },
    handler: async (req) => {
      await db.deleteFrom('default_types').where('project_id', '=', req.params.project!).execute();
      return { status: 204 };
    },
  });
}
