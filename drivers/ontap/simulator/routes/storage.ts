import { randomUUID } from 'node:crypto';
import type { Cluster } from '../cluster.js';
import { badRequest, CODES, notFound, OntapApiError } from '../errors.js';
import type { SimVolume } from '../model.js';
import { collection, matchesQuery, project, readSize, requireString, valuesAt, type Rec } from '../records.js';
import type { RequestContext, Route } from '../router.js';
import { inScope, snapshotRecord, volumeRecord } from './render.js';

/** ONTAP's FlexVol and snapshot naming rule. */
const VOLUME_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,202}$/;
const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

function scopedVolume(ctx: RequestContext): SimVolume {
  const v = ctx.cluster.volumeByUuid(ctx.params.uuid!);
  if (!inScope(ctx.scope, v.svm)) throw notFound('volume', 'uuid');
  return v;
}

/** Free bytes of the aggregate. */
function aggregateFree(cluster: Cluster): number {
  return cluster.state.aggregateBytes - cluster.state.volumes.reduce((s, v) => s + v.size, 0);
}

/** FlexVols and their snapshots, and single-LUN restore from a snapshot. */
export const storageRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/storage/volumes',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.volumes
        .filter((v) => inScope(scope, v.svm))
        .map((v) => volumeRecord(cluster, v))
        .filter((r) => matchesQuery(r, query))
        .map((r) => project(r, ['uuid', 'name'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/storage/volumes') };
    },
  },
  { method: 'GET', path: '/api/storage/volumes/{uuid}', handler: (ctx) => ({ status: 200, body: volumeRecord(ctx.cluster, scopedVolume(ctx)) }) },
  {
    method: 'POST',
    path: '/api/storage/volumes',
    handler: ({ cluster, body, scope }) => {
      const name = requireString(body, 'name');
      const svm = cluster.svm(scope ?? requireString(body, 'svm.name')).name;
      if (!VOLUME_NAME.test(name)) throw badRequest(CODES.invalidField, `invalid volume name "${name}"`, 'name');
      if (cluster.state.volumes.some((v) => v.name === name && v.svm === svm)) throw badRequest(CODES.duplicateVolume, `Duplicate volume name ${name}`, 'name');
      const size = readSize(body.size, 'size');
      if (size > aggregateFree(cluster)) throw badRequest(CODES.noSpace, `Insufficient space in the aggregate for volume "${name}"`, 'size');
      const type = body.type === 'dp' ? 'dp' : 'rw';
      const aggregate = String(valuesAt(body, 'aggregates.name')[0] ?? 'aggr1');
      const vol: SimVolume = { uuid: randomUUID(), name, svm, size, type, aggregate, create_time: new Date().toISOString(), snapshots: [] };
      const job = cluster.startJob(`POST /api/storage/volumes/${name}`, async () => {
        if (cluster.state.volumes.some((v) => v.name === name && v.svm === svm)) throw badRequest(CODES.duplicateVolume, `Duplicate volume name ${name}`);
        cluster.state.volumes.push(vol);
        cluster.commit();
      });
      return { job, status: 201, body: () => ({ num_records: 1, records: [volumeRecord(cluster, vol)] }) };
    },
  },
  {
    method: 'PATCH',
    path: '/api/storage/volumes/{uuid}',
    handler: (ctx) => {
      const { cluster, body } = ctx;
      const v = scopedVolume(ctx);
      const job = cluster.startJob(`PATCH /api/storage/volumes/${v.uuid}`, async () => {
        if (body.size !== undefined) {
          const size = readSize(body.size, 'size');
          if (size - v.size > aggregateFree(cluster)) throw badRequest(CODES.noSpace, 'Insufficient space in the aggregate', 'size');
          v.size = size;
        }
        if (body.type === 'rw' || body.type === 'dp') v.type = body.type;
        cluster.commit();
      });
      return { job, status: 200, body: () => ({}) };
    },
  },
  {
    method: 'DELETE',
    path: '/api/storage/volumes/{uuid}',
    handler: (ctx) => {
      const { cluster } = ctx;
      const v = scopedVolume(ctx);
      const job = cluster.startJob(`DELETE /api/storage/volumes/${v.uuid}`, async () => {
        if (cluster.state.luns.some((l) => l.volumeUuid === v.uuid)) throw badRequest(CODES.volumeBusy, `Volume "${v.name}" contains LUNs`);
        for (const s of v.snapshots) await cluster.files.remove(`snapshots/${s.uuid}`);
        cluster.state.volumes = cluster.state.volumes.filter((x) => x.uuid !== v.uuid);
        cluster.commit();
      });
      return { job, status: 200, body: () => ({}) };
    },
  },
  {
    method: 'GET',
    path: '/api/storage/volumes/{uuid}/snapshots',
    handler: (ctx) => {
      const v = scopedVolume(ctx);
      const recs = v.snapshots
        .map((s) => snapshotRecord(ctx.cluster, v, s))
        .filter((r) => matchesQuery(r, ctx.query))
        .map((r) => project(r, ['uuid', 'name'], ctx.query.get('fields')));
      return { status: 200, body: collection(recs, ctx.query, `/api/storage/volumes/${v.uuid}/snapshots`) };
    },
  },
  {
    method: 'GET',
    path: '/api/storage/volumes/{uuid}/snapshots/{snap}',
    handler: (ctx) => {
      const v = scopedVolume(ctx);
      const s = v.snapshots.find((x) => x.uuid === ctx.params.snap);
      if (s === undefined) throw notFound('snapshot', 'snapshot.uuid');
      return { status: 200, body: snapshotRecord(ctx.cluster, v, s) };
    },
  },
  { method: 'POST', path: '/api/storage/volumes/{uuid}/snapshots', handler: createSnapshot },
  {
    method: 'DELETE',
    path: '/api/storage/volumes/{uuid}/snapshots/{snap}',
    handler: (ctx) => {
      const { cluster } = ctx;
      const v = scopedVolume(ctx);
      const s = v.snapshots.find((x) => x.uuid === ctx.params.snap);
      if (s === undefined) throw new OntapApiError(404, CODES.snapshotNotFound, 'Snapshot copy does not exist', 'snapshot.uuid');
      const job = cluster.startJob(`DELETE snapshot ${s.name}`, async () => {
        v.snapshots = v.snapshots.filter((x) => x.uuid !== s.uuid);
        cluster.commit();
        await cluster.files.remove(`snapshots/${s.uuid}`);
      });
      return { job, status: 200, body: () => ({}) };
    },
  },
  { method: 'POST', path: '/api/private/cli/volume/snapshot/restore-file', handler: restoreFile },
];

function createSnapshot(ctx: RequestContext): { job: import('../model.js').SimJob; status: number; body: () => Rec } {
  const { cluster, body } = ctx;
  const v = scopedVolume(ctx);
  const name = requireString(body, 'name');
  if (!SNAPSHOT_NAME.test(name)) throw badRequest(CODES.invalidField, `invalid snapshot name "${name}"`, 'name');
  if (v.snapshots.some((s) => s.name === name)) throw badRequest(CODES.duplicateSnapshot, `Snapshot copy "${name}" already exists`, 'name');
  const uuid = randomUUID();
  const job = cluster.startJob(`POST snapshot ${name} of ${v.name}`, async () => {
    // Copy every LUN of the volume at one instant of the event loop: the list is taken
    // now, and copies run before any later write request is handled for them.
    const luns = cluster.state.luns.filter((l) => l.volumeUuid === v.uuid);
    const frozen = await Promise.all(
      luns.map(async (l) => {
        const file = `snapshots/${uuid}/${l.uuid}.img`;
        await cluster.files.copy(l.file, file);
        return { name: l.name.split('/').at(-1)!, size: l.size, file, os_type: l.os_type };
      }),
    );
    if (v.snapshots.some((s) => s.name === name)) throw badRequest(CODES.duplicateSnapshot, `Snapshot copy "${name}" already exists`);
    v.snapshots.push({ uuid, name, create_time: new Date().toISOString(), luns: frozen });
    cluster.commit();
  });
  return { job, status: 201, body: () => ({ num_records: 1, records: [{ uuid, name }] }) };
}

/**
 * `volume snapshot restore-file` through ONTAP's private CLI passthrough: restores one
 * LUN from a snapshot in place (same LUN, same maps), or creates it when missing.
 */
async function restoreFile(ctx: RequestContext): Promise<{ status: number; body: Rec }> {
  const { cluster, body, scope } = ctx;
  const svm = cluster.svm(scope ?? requireString(body, 'vserver')).name;
  const volName = requireString(body, 'volume');
  const snapName = requireString(body, 'snapshot');
  const filePath = requireString(body, 'path').replace(/^\/+/, '');
  const v = cluster.state.volumes.find((x) => x.name === volName && x.svm === svm);
  if (v === undefined) throw new OntapApiError(404, CODES.volumeNotFound, `Volume "${volName}" does not exist`, 'volume');
  if (v.type === 'dp') throw badRequest(CODES.dpVolumeReadOnly, `Volume "${volName}" is a SnapMirror destination (read-only)`);
  const snap = v.snapshots.find((s) => s.name === snapName);
  if (snap === undefined) throw new OntapApiError(404, CODES.snapshotNotFound, `Snapshot copy "${snapName}" does not exist`, 'snapshot');
  const frozen = snap.luns.find((l) => l.name === filePath);
  if (frozen === undefined) throw new OntapApiError(404, CODES.lunNotFound, `"${filePath}" does not exist in snapshot "${snapName}"`, 'path');
  const lunName = `/vol/${v.name}/${filePath}`;
  let lun = cluster.state.luns.find((l) => l.name === lunName);
  if (lun === undefined) {
    const uuid = randomUUID();
    lun = { uuid, name: lunName, svm, volumeUuid: v.uuid, size: frozen.size, os_type: frozen.os_type, guarantee: false, serial_number: serial(), file: `luns/${uuid}.img`, comment: '', create_time: new Date().toISOString() };
    await cluster.files.copy(frozen.file, lun.file);
    cluster.state.luns.push(lun);
  } else {
    await cluster.files.copy(frozen.file, lun.file);
    lun.size = frozen.size;
  }
  cluster.commit();
  await cluster.exportLuns();
  return { status: 200, body: { num_records: 1 } };
}

/** A LUN serial number in ONTAP's 12-character style. */
export function serial(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 12 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
