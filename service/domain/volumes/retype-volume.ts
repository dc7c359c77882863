import { AshlarError, hasErrorCode } from '../../../core/errors/ashlar-error.js';
import type { RequestContext } from '../../auth/context.js';
import type { VolumeTypesTable, VolumesTable } from '../../db/tables.js';
import { parseMap } from '../../util.js';
import type { DomainDeps } from '../deps.js';
import { usableType } from '../lookup.js';
import { updateInStatus } from '../state-machine.js';
import { backendOf } from './backend-of.js';
import { toDriverVolume } from './to-driver-volume.js';
import { VOLUME_STATES } from './volume-states.js';

const MULTIATTACH = /^<is>\s*true$/i;

function badRequest(reason: string): AshlarError {
  return new AshlarError('BAD_REQUEST', { details: { reason } });
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * os-retype: changes the volume type when the volume can keep its backend — the types'
 * extra specs are equal, or the driver retypes in place. Cinder's checks and messages;
 * where Cinder would migrate, this service answers 400 at once (it has no generic
 * migration).
 *
 * @throws BAD_REQUEST for an unknown type or a retype that needs migration; INVALID_STATE.
 */
export async function retypeVolume(deps: DomainDeps, ctx: RequestContext, v: VolumesTable, newType: string, policy: 'never' | 'on-demand'): Promise<void> {
  const { db } = deps;
  let target: VolumeTypesTable;
  try {
    // Cinder looks the type up with an elevated context: any type, by name or id.
    target = await usableType(db, { ...ctx, isAdmin: true }, newType);
  } catch (err) {
    if (hasErrorCode(err, 'NOT_FOUND')) throw badRequest(`Invalid volume_type passed: ${newType}.`);
    throw err;
  }
  const newSpecs = parseMap(target.extra_specs);
  const targetMultiattach = MULTIATTACH.test(newSpecs.multiattach ?? '');
  if ((v.multiattach === 1) !== targetMultiattach && v.status !== 'available') {
    throw badRequest(`Invalid volume_type passed, retypes affecting multiattach are only allowed on available volumes, the specified volume however currently has a status of: ${v.status}.`);
  }
  const migrating = v.migration_status !== null && !['success', 'error'].includes(v.migration_status);
  if (!['available', 'in-use'].includes(v.status) || migrating || v.volume_type_id === target.id) {
    throw new AshlarError('INVALID_STATE', { details: { resource: 'volume', reason: 'Retype needs volume to be in available or in-use state, not be part of an active migration or a consistency group, requested type has to be different that the one from the volume, and for in-use volumes front-end qos specs cannot change.' } });
  }
  const current = v.volume_type_id ? await db.selectFrom('volume_types').select('extra_specs').where('id', '=', v.volume_type_id).executeTakeFirst() : undefined;
  const oldSpecs = parseMap(current?.extra_specs);
  // Types with the same extra specs need nothing from the backend (Cinder's all_equal).
  let retyped = sameMap(oldSpecs, newSpecs);
  let refusal: string | undefined;
  if (!retyped) {
    refusal = await deps.scheduler.refusal(v.host ?? '', { sizeGiB: 0, availabilityZone: v.availability_zone, extraSpecs: newSpecs });
    const driver = refusal === undefined ? backendOf(deps, v.host).driver : undefined;
    if (driver?.supports('retype')) {
      const diff: Record<string, readonly [string | null, string | null]> = {};
      for (const k of new Set([...Object.keys(oldSpecs), ...Object.keys(newSpecs)])) if (oldSpecs[k] !== newSpecs[k]) diff[k] = [oldSpecs[k] ?? null, newSpecs[k] ?? null];
      retyped = (await driver.retype({ volume: await toDriverVolume(db, v), newType: { name: target.name, extraSpecs: newSpecs }, diff })).retyped;
    }
  }
  if (!retyped) {
    const why = refusal ? ` (the current backend does not fit the new type: ${refusal})` : '';
    if (policy === 'never') throw badRequest(`Retype requires migration but is not allowed.${why}`);
    throw badRequest(`Retype requires migration, and this service cannot migrate volumes between backends.${why}`);
  }
  await updateInStatus(db, VOLUME_STATES, v, { volume_type_id: target.id, multiattach: targetMultiattach ? 1 : v.multiattach }, 'retype');
}
