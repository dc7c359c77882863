/**
 * Backups. This service runs no backup service, so lists are always empty; the schemas
 * still describe Cinder's shapes so clients' requests validate as they would there.
 */
import { links, metadata, uuid } from './common.js';

/** GET /backups and /backups/detail: always empty here. */
export const backupListResponse = {
  title: 'BackupList',
  type: 'object',
  required: ['backups'],
  properties: { backups: { type: 'array', maxItems: 0 }, backups_links: links, count: { type: 'integer', description: '3.45+ with with_count=true' } },
  additionalProperties: false,
} as const;

/** POST /backups. */
export const backupCreateRequest = {
  title: 'BackupCreateRequest',
  type: 'object',
  required: ['backup'],
  properties: {
    backup: {
      type: 'object',
      required: ['volume_id'],
      properties: {
        volume_id: uuid,
        container: { type: ['string', 'null'], maxLength: 255 },
        name: { type: ['string', 'null'], maxLength: 255 },
        description: { type: ['string', 'null'], maxLength: 255 },
        incremental: { type: ['boolean', 'string', 'null'] },
        force: { type: ['boolean', 'string', 'null'] },
        snapshot_id: { anyOf: [uuid, { type: 'null' }] },
        metadata: { anyOf: [metadata, { type: 'null' }], description: '3.43+' },
        availability_zone: { type: ['string', 'null'], maxLength: 255, description: '3.51+' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** POST /backups/import_record. */
export const backupImportRequest = {
  title: 'BackupImportRequest',
  type: 'object',
  required: ['backup-record'],
  properties: { 'backup-record': { type: 'object', required: ['backup_service', 'backup_url'], properties: { backup_service: { type: 'string' }, backup_url: { type: 'string' } }, additionalProperties: false } },
  additionalProperties: false,
} as const;

/** Bodies of the routes that name a backup (restore, update, actions): any object, since the backup is looked up first. */
export const backupAnyRequest = { type: ['object', 'null'] } as const;
