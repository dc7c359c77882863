/** Writes of per-project quotas and quota classes (reads live with the quota domain). */
import type { Kysely } from 'kysely';
import type { Database } from '../tables.js';

/** Sets some of a project's limits, replacing those given, in one transaction. */
export async function setProjectLimits(db: Kysely<Database>, projectId: string, limits: readonly (readonly [string, number])[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [resource, limit] of limits) {
      await trx.deleteFrom('quotas').where('project_id', '=', projectId).where('resource', '=', resource).execute();
      await trx.insertInto('quotas').values({ project_id: projectId, resource: resource as never, hard_limit: limit }).execute();
    }
  });
}

/** Forgets a project's limits (back to the defaults). */
export async function clearProjectLimits(db: Kysely<Database>, projectId: string): Promise<void> {
  await db.deleteFrom('quotas').where('project_id', '=', projectId).execute();
}

/** Sets some limits of a quota class, replacing those given, in one transaction. */
export async function setClassLimits(db: Kysely<Database>, className: string, limits: readonly (readonly [string, number])[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [resource, limit] of limits) {
      await trx.deleteFrom('quota_classes').where('class_name', '=', className).where('resource', '=', resource).execute();
      await trx.insertInto('quota_classes').values({ class_name: className, resource, hard_limit: limit }).execute();
    }
  });
}
