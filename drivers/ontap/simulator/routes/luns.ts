import { randomUUID } from 'node:crypto';
import type { Cluster } from '../cluster.js';
import { badRequest, CODES, notFound, OntapApiError } from '../errors.js';
import type { SimLun } from '../model.js';
import { collection, matchesQuery, project, readSize, requireString, valuesAt, type Rec } from '../records.js';
import type { RequestContext, Route } from '../router.js';
import { inScope, lunRecord, mapsOf } from './render.js';
import { serial } from './storage.js';

/** LUN names ONTAP accepts (the part after /vol/<volume>/). */
const LUN_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

/** LUNs addressed by uuid, or by query on the collection (as Cinder's client does). */
function targets(ctx: RequestContext): SimLun[] {
  const { cluster, params, query, scope } = ctx;
  if (params.uuid !== undefined) {
    const lun = cluster.lunByUuid(params.uuid);
    if (!inScope(scope, lun.svm)) throw notFound('LUN', 'uuid');
    return [lun];
  }
  // A collection PATCH/DELETE without a filter would touch every LUN: ONTAP wants a query.
  if (![...query.keys()].some((k) => !['return_timeout', 'return_records', 'allow_delete_while_mapped', 'fields'].includes(k))) {
    throw new OntapApiError(400, CODES.missingField, 'a PATCH or DELETE on /api/storage/luns needs a query (e.g. name=...)');
  }
  const hits = cluster.state.luns.filter((l) => inScope(scope, l.svm) && matchesQuery(lunRecord(cluster, l), query));
  if (hits.length === 0) throw new OntapApiError(404, CODES.lunNotFound, 'LUN not found', 'name');
  return hits;
}

/** Where a clone's data comes from: a live LUN or a LUN inside a snapshot (`/vol/v/.snapshot/s/l`). */
function cloneSource(cluster: Cluster, svm: string, body: Rec): { file: string; size: number; volumeUuid: string; os_type: string } {
  const byUuid = valuesAt(body, 'clone.source.uuid')[0];
  if (typeof byUuid === 'string') {
    const l = cluster.lunByUuid(byUuid);
    return { file: l.file, size: l.size, volumeUuid: l.volumeUuid, os_type: l.os_type };
  }
  const name = requireString(body, 'clone.source.name');
  const snap = /^\/vol\/([^/]+)\/\.snapshot\/([^/]+)\/([^/]+)$/.exec(name);
  if (snap !== null) {
    const v = cluster.volumeOfPath(svm, `/vol/${snap[1]}/x`);
    const s = v.snapshots.find((x) => x.name === snap[2]);
    if (s === undefined) throw new OntapApiError(404, CODES.snapshotNotFound, `Snapshot copy "${snap[2]}" does not exist`, 'clone.source.name');
    const l = s.luns.find((x) => x.name === snap[3]);
    if (l === undefined) throw new OntapApiError(404, CODES.lunNotFound, `LUN "${snap[3]}" is not in snapshot "${snap[2]}"`, 'clone.source.name');
    return { file: l.file, size: l.size, volumeUuid: v.uuid, os_type: l.os_type };
  }
  const l = cluster.state.luns.find((x) => x.name === name && x.svm === svm);
  if (l === undefined) throw new OntapApiError(404, CODES.lunNotFound, `LUN "${name}" does not exist`, 'clone.source.name');
  return { file: l.file, size: l.size, volumeUuid: l.volumeUuid, os_type: l.os_type };
}

async function createLun(ctx: RequestContext): Promise<{ status: number; body: Rec }> {
  const { cluster, body, scope } = ctx;
  const svm = cluster.svm(scope ?? requireString(body, 'svm.name')).name;
  const name = requireString(body, 'name');
  const vol = cluster.volumeOfPath(svm, name);
  if (!LUN_NAME.test(name.split('/').slice(3).join('/'))) throw badRequest(CODES.invalidField, `invalid LUN name "${name}"`, 'name');
  if (vol.type === 'dp') throw badRequest(CODES.dpVolumeReadOnly, `Volume "${vol.name}" is a SnapMirror destination (read-only)`, 'name');
  if (cluster.state.luns.some((l) => l.name === name && l.svm === svm)) throw badRequest(CODES.duplicateLun, `A LUN with name "${name}" already exists`, 'name');
  const source = valuesAt(body, 'clone.source').length > 0 ? cloneSource(cluster, svm, body) : undefined;
  if (source !== undefined && source.volumeUuid !== vol.uuid) throw badRequest(CODES.invalidField, 'A LUN clone must be in the same volume as its source', 'clone.source.name');
  const requested = valuesAt(body, 'space.size')[0];
  const size = requested === undefined && source !== undefined ? source.size : readSize(requested, 'space.size');
  if (source !== undefined && size < source.size) throw badRequest(CODES.lunShrink, 'A LUN clone cannot be smaller than its source', 'space.size');
  if (size > vol.size) throw badRequest(CODES.noSpace, `The LUN size (${size}) is larger than the volume "${vol.name}" (${vol.size})`, 'space.size');
  const guarantee = valuesAt(body, 'space.guarantee.requested')[0] === true || valuesAt(body, 'space.guarantee.requested')[0] === 'true';
  if (guarantee && size > freeOf(cluster, vol.uuid)) {
    throw badRequest(CODES.noSpace, `Not enough space in volume "${vol.name}" for a space-reserved LUN`, 'space.guarantee.requested');
  }
  const uuid = randomUUID();
  const lun: SimLun = {
    uuid, name, svm, volumeUuid: vol.uuid, size, guarantee, serial_number: serial(), file: `luns/${uuid}.img`,
    os_type: String(body.os_type ?? source?.os_type ?? 'linux'), comment: String(body.comment ?? ''), create_time: new Date().toISOString(),
  };
  if (source !== undefined) {
    await cluster.files.copy(source.file, lun.file);
    if (size > source.size) await cluster.files.resize(lun.file, size);
  } else {
    await cluster.files.create(lun.file, size);
  }
  if (cluster.state.luns.some((l) => l.name === name && l.svm === svm)) {
    await cluster.files.remove(lun.file);
    throw badRequest(CODES.duplicateLun, `A LUN with name "${name}" already exists`, 'name');
  }
  cluster.state.luns.push(lun);
  cluster.commit();
  return { status: 201, body: ctx.query.get('return_records') === 'true' ? { num_records: 1, records: [lunRecord(cluster, lun)] } : {} };
}

function freeOf(cluster: Cluster, volumeUuid: string): number {
  const v = cluster.volumeByUuid(volumeUuid);
  return v.size - cluster.state.luns.filter((l) => l.volumeUuid === v.uuid && l.guarantee).reduce((s, l) => s + l.size, 0);
}

async function patchLuns(ctx: RequestContext): Promise<{ status: number; body: Rec }> {
  const { cluster, body } = ctx;
  for (const lun of targets(ctx)) {
    const vol = cluster.volumeByUuid(lun.volumeUuid);
    if (vol.type === 'dp') throw badRequest(CODES.dpVolumeReadOnly, `Volume "${vol.name}" is a SnapMirror destination (read-only)`);
    const newSize = valuesAt(body, 'space.size')[0];
    if (newSize !== undefined) {
      const size = readSize(newSize, 'space.size');
      if (size < lun.size && mapsOf(cluster, lun).length > 0) throw badRequest(CODES.lunShrink, 'Cannot shrink a mapped LUN', 'space.size');
      if (size > vol.size) throw badRequest(CODES.noSpace, `The LUN size (${size}) is larger than the volume "${vol.name}"`, 'space.size');
      await cluster.files.resize(lun.file, size);
      lun.size = size;
    }
    const newName = body.name;
    if (typeof newName === 'string' && newName !== lun.name) {
      if (cluster.volumeOfPath(lun.svm, newName).uuid !== lun.volumeUuid) throw badRequest(CODES.invalidField, 'A LUN can only be renamed within its volume', 'name');
      if (!LUN_NAME.test(newName.split('/').slice(3).join('/'))) throw badRequest(CODES.invalidField, `invalid LUN name "${newName}"`, 'name');
      if (cluster.state.luns.some((l) => l.name === newName && l.svm === lun.svm)) throw badRequest(CODES.duplicateLun, `A LUN with name "${newName}" already exists`, 'name');
      lun.name = newName;
    }
    if (typeof body.comment === 'string') lun.comment = body.comment;
    cluster.commit();
  }
  await cluster.exportLuns();
  return { status: 200, body: {} };
}

async function deleteLuns(ctx: RequestContext): Promise<{ status: number; body: Rec }> {
  const { cluster, query } = ctx;
  const force = query.get('allow_delete_while_mapped') === 'true';
  for (const lun of targets(ctx)) {
    if (!force && mapsOf(cluster, lun).length > 0) throw badRequest(CODES.lunMapped, `LUN "${lun.name}" is mapped; unmap it or set allow_delete_while_mapped`);
    const vol = cluster.volumeByUuid(lun.volumeUuid);
    if (vol.type === 'dp') throw badRequest(CODES.dpVolumeReadOnly, `Volume "${vol.name}" is a SnapMirror destination (read-only)`);
    cluster.state.lunMaps = cluster.state.lunMaps.filter((m) => m.lunUuid !== lun.uuid);
    cluster.state.luns = cluster.state.luns.filter((l) => l.uuid !== lun.uuid);
    cluster.commit();
    await cluster.exportLuns();
    await cluster.files.remove(lun.file);
  }
  return { status: 200, body: {} };
}

/** `/api/storage/luns`: create (also as a clone), resize, rename, delete. Synchronous, as in ONTAP. */
export const lunRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/storage/luns',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.luns
        .filter((l) => inScope(scope, l.svm))
        .map((l) => lunRecord(cluster, l))
        .filter((r) => matchesQuery(r, query))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)))
        .map((r) => project(r, ['uuid', 'name'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/storage/luns') };
    },
  },
  {
    method: 'GET',
    path: '/api/storage/luns/{uuid}',
    handler: (ctx) => ({ status: 200, body: lunRecord(ctx.cluster, targets(ctx)[0]!) }),
  },
  { method: 'POST', path: '/api/storage/luns', handler: createLun },
  { method: 'PATCH', path: '/api/storage/luns', handler: patchLuns },
  { method: 'PATCH', path: '/api/storage/luns/{uuid}', handler: patchLuns },
  { method: 'DELETE', path: '/api/storage/luns', handler: deleteLuns },
  { method: 'DELETE', path: '/api/storage/luns/{uuid}', handler: deleteLuns },
];
