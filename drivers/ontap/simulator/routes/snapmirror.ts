import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from '../cluster.js';
import { badRequest, CODES, OntapApiError } from '../errors.js';
import { LunFiles } from '../lun-files.js';
import type { ClusterState, SimRelationship, SimVolume } from '../model.js';
import { collection, matchesQuery, project, requireString, type Rec } from '../records.js';
import type { RequestContext, Route } from '../router.js';
import { serial } from './storage.js';

function relationship(ctx: RequestContext): SimRelationship {
  const r = ctx.cluster.state.relationships.find((x) => x.uuid === ctx.params.uuid);
  if (r === undefined) throw new OntapApiError(404, CODES.relationshipNotFound, 'SnapMirror relationship does not exist', 'uuid');
  return r;
}

function destinationVolume(cluster: Cluster, destPath: string): SimVolume {
  const [svm, name] = destPath.split(':');
  const v = cluster.state.volumes.find((x) => x.svm === svm && x.name === name);
  if (v === undefined) throw new OntapApiError(404, CODES.volumeNotFound, `Destination volume "${destPath}" does not exist`, 'destination.path');
  return v;
}

/** ISO 8601 duration ONTAP uses for lag_time. */
function duration(seconds: number): string {
  return `PT${Math.max(0, Math.round(seconds))}S`;
}

function record(cluster: Cluster, r: SimRelationship): Rec {
  const lag = r.last_transfer_end === undefined ? undefined : (Date.now() - Date.parse(r.last_transfer_end)) / 1000 + cluster.state.faults.snapmirrorLagSeconds;
  return {
    uuid: r.uuid,
    source: { path: r.source.path, cluster: { name: r.source.cluster }, svm: { name: r.source.path.split(':')[0] } },
    destination: { path: r.destination.path, svm: { name: r.destination.path.split(':')[0] } },
    policy: { name: r.policy, type: 'async' },
    state: r.state,
    healthy: r.healthy,
    ...(r.unhealthy_reason !== undefined ? { unhealthy_reason: [{ message: r.unhealthy_reason }] } : {}),
    ...(lag !== undefined ? { lag_time: duration(lag) } : {}),
    ...(r.last_transfer_end !== undefined ? { transfer: { state: 'success', end_time: r.last_transfer_end } } : {}),
    _links: { self: { href: `/api/snapmirror/relationships/${r.uuid}` } },
  };
}

/**
 * One transfer: makes the destination volume's LUNs equal to the source's, writing only
 * changed blocks. The source's state is read from the peer's data directory (the peer
 * writes it atomically), which stands in for the intercluster network.
 */
async function transfer(cluster: Cluster, r: SimRelationship): Promise<void> {
  const peer = cluster.state.peers.find((p) => p.name === r.source.cluster);
  if (peer === undefined) throw new OntapApiError(400, CODES.peerUnreachable, `Cluster peer "${r.source.cluster}" is not configured`);
  let source: ClusterState;
  try {
    source = JSON.parse(await readFile(path.join(peer.dataDir, 'state.json'), 'utf8')) as ClusterState;
  } catch {
    throw new OntapApiError(400, CODES.peerUnreachable, `Cluster peer "${peer.name}" is unreachable`);
  }
  if (source.faults.unresponsive) throw new OntapApiError(400, CODES.peerUnreachable, `Cluster peer "${peer.name}" is not responding`);
  const [srcSvm, srcVol] = r.source.path.split(':');
  const sv = source.volumes.find((v) => v.svm === srcSvm && v.name === srcVol);
  if (sv === undefined) throw new OntapApiError(400, CODES.volumeNotFound, `Source volume "${r.source.path}" does not exist`);
  const dv = destinationVolume(cluster, r.destination.path);
  const srcLuns = source.luns.filter((l) => l.volumeUuid === sv.uuid);
  const base = (name: string): string => name.split('/').at(-1)!;
  for (const sl of srcLuns) {
    const name = `/vol/${dv.name}/${base(sl.name)}`;
    let dl = cluster.state.luns.find((l) => l.name === name && l.volumeUuid === dv.uuid);
    if (dl === undefined) {
      const uuid = randomUUID();
      dl = { uuid, name, svm: dv.svm, volumeUuid: dv.uuid, size: sl.size, os_type: sl.os_type, guarantee: sl.guarantee, serial_number: serial(), file: `luns/${uuid}.img`, comment: sl.comment, create_time: new Date().toISOString() };
      await cluster.files.create(dl.file, sl.size);
      cluster.state.luns.push(dl);
    }
    await LunFiles.syncBlocks(path.join(peer.dataDir, sl.file), cluster.files.abs(dl.file));
    dl.size = sl.size;
    dl.comment = sl.comment;
  }
  const keep = new Set(srcLuns.map((l) => base(l.name)));
  for (const dl of cluster.state.luns.filter((l) => l.volumeUuid === dv.uuid && !keep.has(base(l.name)))) {
    cluster.state.lunMaps = cluster.state.lunMaps.filter((m) => m.lunUuid !== dl.uuid);
    cluster.state.luns = cluster.state.luns.filter((l) => l.uuid !== dl.uuid);
    await cluster.files.remove(dl.file);
  }
  r.last_transfer_end = new Date().toISOString();
  r.healthy = true;
  r.unhealthy_reason = undefined;
  cluster.commit();
  await cluster.exportLuns();
}

/** Runs a transfer inside a job, recording an unhealthy relationship when it fails. */
async function transferRecorded(cluster: Cluster, r: SimRelationship): Promise<void> {
  try {
    await transfer(cluster, r);
  } catch (err) {
    r.healthy = false;
    r.unhealthy_reason = err instanceof Error ? err.message : String(err);
    cluster.commit();
    throw err;
  }
}

function patchState(ctx: RequestContext): { job: import('../model.js').SimJob; status: number } {
  const { cluster, body } = ctx;
  const r = relationship(ctx);
  const want = requireString(body, 'state');
  if (!['snapmirrored', 'paused', 'broken_off'].includes(want)) throw badRequest(CODES.invalidField, `invalid state "${want}"`, 'state');
  const job = cluster.startJob(`PATCH snapmirror ${r.uuid} state=${want}`, async () => {
    const dv = destinationVolume(cluster, r.destination.path);
    if (want === 'paused') {
      if (r.state !== 'snapmirrored' && r.state !== 'paused') throw badRequest(CODES.invalidField, `cannot quiesce a relationship in state ${r.state}`);
      r.state = 'paused';
    } else if (want === 'broken_off') {
      // Break: the destination becomes writable and stops following the source.
      r.state = 'broken_off';
      dv.type = 'rw';
    } else {
      // Resume after a quiesce, initialize, or resync after a break (destination changes are discarded).
      dv.type = 'dp';
      r.state = 'snapmirrored';
      cluster.commit();
      await transferRecorded(cluster, r);
    }
    cluster.commit();
  });
  return { job, status: 200 };
}

/** SnapMirror relationships (managed on the destination cluster) and their transfers. */
export const snapmirrorRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/snapmirror/relationships',
    handler: ({ cluster, query }) => {
      const recs = cluster.state.relationships.map((r) => record(cluster, r)).filter((r) => matchesQuery(r, query)).map((r) => project(r, ['uuid', 'source', 'destination'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/snapmirror/relationships') };
    },
  },
  { method: 'GET', path: '/api/snapmirror/relationships/{uuid}', handler: (ctx) => ({ status: 200, body: record(ctx.cluster, relationship(ctx)) }) },
  {
    method: 'POST',
    path: '/api/snapmirror/relationships',
    handler: ({ cluster, body }) => {
      const sourcePath = requireString(body, 'source.path');
      const destPath = requireString(body, 'destination.path');
      const sourceCluster = requireString(body, 'source.cluster.name');
      if (!/^[^:]+:[^:]+$/.test(sourcePath) || !/^[^:]+:[^:]+$/.test(destPath)) throw badRequest(CODES.invalidField, 'paths are svm:volume');
      const dv = destinationVolume(cluster, destPath);
      if (dv.type !== 'dp') throw badRequest(CODES.invalidField, `Destination volume "${destPath}" must be of type dp`, 'destination.path');
      if (cluster.state.relationships.some((r) => r.destination.path === destPath)) throw badRequest(CODES.relationshipExists, `A relationship with destination "${destPath}" already exists`);
      const r: SimRelationship = { uuid: randomUUID(), source: { path: sourcePath, cluster: sourceCluster }, destination: { path: destPath }, state: 'uninitialized', healthy: true, policy: String((body.policy as Rec | undefined)?.name ?? 'MirrorAllSnapshots') };
      cluster.state.relationships.push(r);
      cluster.commit();
      const initialize = body.state === 'snapmirrored';
      const job = cluster.startJob(`POST snapmirror ${sourcePath} -> ${destPath}`, async () => {
        if (!initialize) return;
        r.state = 'snapmirrored';
        await transferRecorded(cluster, r);
      });
      return { job, status: 201, body: () => ({ num_records: 1, records: [record(cluster, r)] }) };
    },
  },
  { method: 'PATCH', path: '/api/snapmirror/relationships/{uuid}', handler: patchState },
  {
    method: 'POST',
    path: '/api/snapmirror/relationships/{uuid}/transfers',
    handler: (ctx) => {
      const { cluster } = ctx;
      const r = relationship(ctx);
      if (r.state !== 'snapmirrored') throw badRequest(CODES.invalidField, `cannot transfer: relationship is ${r.state}`);
      const job = cluster.startJob(`snapmirror transfer ${r.uuid}`, () => transferRecorded(cluster, r));
      return { job, status: 201, body: () => ({ num_records: 1, records: [{ uuid: randomUUID(), state: 'success' }] }) };
    },
  },
  {
    method: 'DELETE',
    path: '/api/snapmirror/relationships/{uuid}',
    handler: (ctx) => {
      const { cluster } = ctx;
      const r = relationship(ctx);
      const job = cluster.startJob(`DELETE snapmirror ${r.uuid}`, async () => {
        cluster.state.relationships = cluster.state.relationships.filter((x) => x.uuid !== r.uuid);
        cluster.commit();
      });
      return { job, status: 200, body: () => ({}) };
    },
  },
];

