import type { Kysely } from 'kysely';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { QuotaDefaults } from '../config/service-config.js';
import type { DatabaseKind } from '../db/database-config.js';
import { lockUntilCommit } from '../db/transaction-lock.js';
import type { Database } from '../db/tables.js';

/** Resources with quotas, in the order Cinder lists them. */
export const QUOTA_RESOURCES = ['volumes', 'snapshots', 'gigabytes', 'backups', 'backup_gigabytes', 'per_volume_gigabytes', 'groups'] as const;

/** A quota resource. */
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** The limits of a quota class: its rows over the configured defaults. */
export async function classLimits(db: Kysely<Database>, className: string, defaults: QuotaDefaults): Promise<Record<QuotaResource, number>> {
  const rows = await db.selectFrom('quota_classes').select(['resource', 'hard_limit']).where('class_name', '=', className).execute();
  const limits = { ...defaults } as Record<QuotaResource, number>;
  for (const r of rows) if ((QUOTA_RESOURCES as readonly string[]).includes(r.resource)) limits[r.resource as QuotaResource] = r.hard_limit;
  return limits;
}

/**
 * Limits of a project: its overrides over the defaults, which are the configured ones as
 * changed through the `default` quota class (os-quota-class-sets), as in Cinder.
 */
export async function projectLimits(db: Kysely<Database>, projectId: string, defaults: QuotaDefaults): Promise<Record<QuotaResource, number>> {
  const limits = await classLimits(db, 'default', defaults);
  const rows = await db.selectFrom('quotas').select(['resource', 'hard_limit']).where('project_id', '=', projectId).execute();
  for (const r of rows) if ((QUOTA_RESOURCES as readonly string[]).includes(r.resource)) limits[r.resource as QuotaResource] = r.hard_limit;
  return limits;
}

/**
 * What a project uses, counted from the live rows (so usage can never drift from reality
 * the way a separate usage table can after a crash).
 */
export async function projectUsage(db: Kysely<Database>, projectId: string): Promise<Record<QuotaResource, number>> {
  const v = await db.selectFrom('volumes').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size').as('gb')]).where('project_id', '=', projectId).executeTakeFirst();
  const s = await db.selectFrom('snapshots').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size').as('gb')]).where('project_id', '=', projectId).executeTakeFirst();
  return {
    volumes: Number(v?.n ?? 0),
    snapshots: Number(s?.n ?? 0),
    gigabytes: Number(v?.gb ?? 0) + Number(s?.gb ?? 0),
    backups: 0,
    backup_gigabytes: 0,
    per_volume_gigabytes: 0,
    groups: 0,
  };
}

/**
 * Checks that adding `delta` keeps the project within its limits. Call it inside the
 * transaction that creates the resource. The check first takes a lock on the project until
 * the transaction ends (`lockUntilCommit`), so concurrent creates of one project are
 * counted one after the other (read committed would let both pass).
 *
 * @throws QUOTA_EXCEEDED (413 overLimit) naming the resource.
 */
export async function checkQuota(db: Kysely<Database>, dialect: DatabaseKind, projectId: string, defaults: QuotaDefaults, delta: Partial<Record<'volumes' | 'snapshots' | 'gigabytes', number>>, sizeGiB?: number): Promise<void> {
  await lockUntilCommit(db, dialect, `quota:${projectId}`);
  const limits = await projectLimits(db, projectId, defaults);
  if (sizeGiB !== undefined && limits.per_volume_gigabytes >= 0 && sizeGiB > limits.per_volume_gigabytes) {
    throw new AshlarError('QUOTA_EXCEEDED', { details: { resource: 'per_volume_gigabytes', requested: sizeGiB, inUse: 0, limit: limits.per_volume_gigabytes } });
  }
  const limited = (Object.keys(delta) as ('volumes' | 'snapshots' | 'gigabytes')[]).filter((res) => limits[res] >= 0);
  // Unlimited resources need no count; counting scans every row of the project.
  if (limited.length === 0) return;
  const usage = await projectUsage(db, projectId);
  for (const [res, add] of Object.entries(delta) as ['volumes' | 'snapshots' | 'gigabytes', number][]) {
    const limit = limits[res];
    if (limit >= 0 && usage[res] + add > limit) {
      throw new AshlarError('QUOTA_EXCEEDED', { details: { resource: res, requested: add, inUse: usage[res], limit } });
    }
  }
}
