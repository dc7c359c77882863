import type { FastifyInstance } from 'fastify';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import * as K from '../schemas/backups.js';
import { toBool } from '../../util.js';
import type { ApiRequest } from '../api-request.js';
import { defineRoute, type RouteEnv } from '../define-route.js';
import type { ApiDeps } from '../deps.js';
import { queryValue } from '../listing.js';
import { visibleSnapshot, visibleVolume } from '../../domain/lookup.js';
import { atLeast } from '../microversion.js';

/**
 * Backups, answered as Cinder answers them when no cinder-backup service runs: there are
 * no backups to list or find, and creating or importing one fails because the backup
 * service cannot be found (after the same volume checks Cinder makes first).
 */
export function registerBackupRoutes(app: FastifyInstance, env: RouteEnv, deps: ApiDeps): void {
  const { db } = deps;
  const tags = ['backups'];
  const noService = () => new AshlarError('NOT_FOUND', { message: 'Service cinder-backup could not be found.', details: { resource: 'Service', id: 'cinder-backup' } });
  const noBackup = (id: string) => new AshlarError('NOT_FOUND', { message: `Backup ${id} could not be found.`, details: { resource: 'Backup', id } });

  const list = async (req: ApiRequest) => {
    const body: Record<string, unknown> = { backups: [] };
    if (atLeast(req.version, '3.45') && toBool(queryValue(req.query, 'with_count'))) body.count = 0;
    return { status: 200, body };
  };
  defineRoute(app, env, { method: 'GET', path: '/backups', doc: { operationId: 'listBackups', summary: 'List backups (none: no backup service runs).', tags, responses: { 200: [{ schema: K.backupListResponse }] } }, handler: list });
  defineRoute(app, env, { method: 'GET', path: '/backups/detail', doc: { operationId: 'listBackupsDetail', summary: 'List backups with details (none: no backup service runs).', tags, responses: { 200: [{ schema: K.backupListResponse }] } }, handler: list });

  defineRoute(app, env, {
    method: 'POST', path: '/backups',
    doc: { operationId: 'createBackup', summary: 'Back up a volume: refused after the volume checks, as no backup service runs.', tags, body: [{ schema: K.backupCreateRequest }], responses: { 202: [] }, errors: ['VOLUME_NOT_FOUND', 'SNAPSHOT_NOT_FOUND', 'INVALID_STATE', 'NOT_FOUND'] },
    handler: async (req: ApiRequest<{ backup: { volume_id: string; force?: unknown; snapshot_id?: string | null } }>) => {
      const b = req.body.backup;
      const v = await visibleVolume(db, req.ctx, b.volume_id);
      if (b.snapshot_id) await visibleSnapshot(db, req.ctx, b.snapshot_id);
      if (!['available', 'in-use'].includes(v.status)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: `Volume to be backed up must be available or in-use, but the current status is "${v.status}".` } });
      if (v.status === 'in-use' && !b.snapshot_id && !toBool(b.force)) throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Backing up an in-use volume must use the force flag.' } });
      throw noService();
    },
  });
  defineRoute(app, env, {
    method: 'POST', path: '/backups/import_record',
    doc: { operationId: 'importBackupRecord', summary: 'Import a backup record: refused, as no backup service runs.', tags, body: [{ schema: K.backupImportRequest }], responses: { 201: [] }, errors: ['NOT_FOUND'] },
    handler: async () => {
      throw noService();
    },
  });

  const missing = async (req: ApiRequest<unknown>) => {
    throw noBackup(req.params.id!);
  };
  defineRoute(app, env, { method: 'GET', path: '/backups/:id', doc: { operationId: 'showBackup', summary: 'Show a backup (none exist).', tags, responses: { 200: [] }, errors: ['NOT_FOUND'] }, handler: missing });
  defineRoute(app, env, { method: 'PUT', path: '/backups/:id', doc: { operationId: 'updateBackup', summary: 'Update a backup (none exist).', tags, min: '3.9', body: [{ schema: K.backupAnyRequest }], responses: { 200: [] }, errors: ['NOT_FOUND'] }, handler: missing });
  defineRoute(app, env, { method: 'DELETE', path: '/backups/:id', doc: { operationId: 'deleteBackup', summary: 'Delete a backup (none exist).', tags, responses: { 202: [] }, errors: ['NOT_FOUND'] }, handler: missing });
  defineRoute(app, env, { method: 'GET', path: '/backups/:id/export_record', doc: { operationId: 'exportBackupRecord', summary: 'Export a backup record (none exist).', tags, responses: { 200: [] }, errors: ['NOT_FOUND'] }, handler: missing });
  defineRoute(app, env, { method: 'POST', path: '/backups/:id/restore', doc: { operationId: 'restoreBackup', summary: 'Restore a backup (none exist).', tags, body: [{ schema: K.backupAnyRequest }], responses: { 202: [] }, errors: ['NOT_FOUND'] }, handler: missing });
  defineRoute(app, env, { method: 'POST', path: '/backups/:id/action', doc: { operationId: 'backupAction', summary: 'Reset the status of or force-delete a backup (none exist).', tags, body: [{ schema: K.backupAnyRequest }], responses: { 202: [] }, errors: ['NOT_FOUND'] }, handler: missing });
}
