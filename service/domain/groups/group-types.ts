import type { Kysely } from 'kysely';
import { AshlarError } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { GroupTypesTable } from '../../db/area-tables.js';
import { findGroupType, findGroupTypeByName, groupTypeInUse, insertGroupType, removeGroupType, updateGroupType } from '../../db/repositories/group-types.js';
import type { Database } from '../../db/tables.js';
import { newId, now, parseMap } from '../../util.js';

/**
 * A group type the caller may use, by id or name: public types, and every type for
 * administrators.
 *
 * @throws NOT_FOUND.
 */
export async function usableGroupType(db: Kysely<Database>, ctx: RequestContext, idOrName: string): Promise<GroupTypesTable> {
  const row = (await findGroupType(db, idOrName)) ?? (await findGroupTypeByName(db, idOrName));
  if (!row || (row.is_public !== 1 && !ctx.isAdmin)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Group type', id: idOrName } });
  return row;
}

/** What a new group type is made of. */
export interface GroupTypeRequest {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly isPublic: boolean;
  readonly groupSpecs: Readonly<Record<string, string>>;
}

/** Creates a group type. @throws CONFLICT when the name is taken. */
export async function createGroupType(db: Kysely<Database>, req: GroupTypeRequest): Promise<GroupTypesTable> {
  const name = req.name.trim();
  if (name.length === 0) throw new AshlarError('BAD_REQUEST', { details: { reason: 'Group type name can not be empty.' } });
  if (await findGroupTypeByName(db, name)) throw new AshlarError('CONFLICT', { details: { reason: `Group Type ${name} already exists.` } });
  const row: GroupTypesTable = { id: newId(), name, description: req.description ?? null, is_public: req.isPublic ? 1 : 0, group_specs: JSON.stringify(req.groupSpecs), created_at: now() };
  await insertGroupType(db, row);
  return row;
}

/** Renames, describes or publishes a group type. @throws NOT_FOUND; CONFLICT for a taken name. */
export async function changeGroupType(db: Kysely<Database>, id: string, set: { name?: string; description?: string | null; isPublic?: boolean }): Promise<GroupTypesTable> {
  const row = await groupTypeById(db, id);
  const change: Partial<GroupTypesTable> = {};
  if (set.name !== undefined) {
    const name = set.name.trim();
    const taken = await findGroupTypeByName(db, name);
    if (taken && taken.id !== id) throw new AshlarError('CONFLICT', { details: { reason: `Group Type ${name} already exists.` } });
    change.name = name;
  }
  if (set.description !== undefined) change.description = set.description;
  if (set.isPublic !== undefined) change.is_public = set.isPublic ? 1 : 0;
  if (Object.keys(change).length > 0) await updateGroupType(db, id, change);
  return { ...row, ...change };
}

/** Deletes an unused group type. @throws NOT_FOUND; BAD_REQUEST while a group uses it. */
export async function deleteGroupType(db: Kysely<Database>, id: string): Promise<void> {
  await groupTypeById(db, id);
  if (await groupTypeInUse(db, id)) throw new AshlarError('BAD_REQUEST', { details: { reason: `Target group type ${id} is still in use.` } });
  await removeGroupType(db, id);
}

/** A group type by id, whatever its visibility (admin routes). @throws NOT_FOUND. */
export async function groupTypeById(db: Kysely<Database>, id: string): Promise<GroupTypesTable> {
  const row = await findGroupType(db, id);
  if (!row) throw new AshlarError('NOT_FOUND', { details: { resource: 'Group type', id } });
  return row;
}

/** Adds or changes group specs; returns the full map. */
export async function setGroupSpecs(db: Kysely<Database>, id: string, specs: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const row = await groupTypeById(db, id);
  const merged = { ...parseMap(row.group_specs), ...specs };
  await updateGroupType(db, id, { group_specs: JSON.stringify(merged) });
  return merged;
}

/** Removes one group spec. @throws NOT_FOUND (type or key). */
export async function deleteGroupSpec(db: Kysely<Database>, id: string, key: string): Promise<void> {
  const row = await groupTypeById(db, id);
  const specs = parseMap(row.group_specs);
  if (!(key in specs)) throw new AshlarError('NOT_FOUND', { details: { resource: 'Group spec', id: `${key} of group type ${id}` } });
  delete specs[key];
  await updateGroupType(db, id, { group_specs: JSON.stringify(specs) });
}
