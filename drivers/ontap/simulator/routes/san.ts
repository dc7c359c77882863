import { randomUUID } from 'node:crypto';
import { badRequest, CODES, notFound, OntapApiError } from '../errors.js';
import type { SimIgroup, SimLunMap } from '../model.js';
import { collection, matchesQuery, project, requireString, valuesAt, type Rec } from '../records.js';
import type { RequestContext, Route } from '../router.js';
import { igroupRecord, inScope, lunMapRecord } from './render.js';

const IGROUP_NAME = /^[A-Za-z0-9_.:-]{1,96}$/;
/** iSCSI initiator names: iqn.YYYY-MM.reversed.domain[:anything] or eui.<16 hex>. */
const INITIATOR = /^(iqn\.\d{4}-\d{2}\.[A-Za-z0-9][A-Za-z0-9.-]*(:[A-Za-z0-9.:_-]+)?|eui\.[0-9A-Fa-f]{16})$/;

/** An initiator name from a request, checked and folded to lower case (iSCSI names are case-insensitive). */
export function checkInitiator(name: unknown): string {
  if (typeof name !== 'string' || !INITIATOR.test(name)) throw badRequest(CODES.invalidField, `invalid initiator name ${JSON.stringify(name)}`, 'initiators.name');
  return name.toLowerCase();
}

function scopedIgroup(ctx: RequestContext, ref: string): SimIgroup {
  const g = ctx.cluster.state.igroups.find((x) => (x.uuid === ref || x.name === ref) && inScope(ctx.scope, x.svm));
  if (g === undefined) throw notFound(`igroup ${ref}`, 'igroup');
  return g;
}

function createIgroup(ctx: RequestContext): { status: number; body: Rec } {
  const { cluster, body, scope } = ctx;
  const svm = cluster.svm(scope ?? requireString(body, 'svm.name')).name;
  const name = requireString(body, 'name');
  if (!IGROUP_NAME.test(name)) throw badRequest(CODES.invalidField, `invalid igroup name "${name}"`, 'name');
  if (cluster.state.igroups.some((g) => g.name === name && g.svm === svm)) throw badRequest(CODES.igroupExists, `Initiator group "${name}" already exists`, 'name');
  const protocol = body.protocol === 'fcp' || body.protocol === 'mixed' ? body.protocol : 'iscsi';
  const initiators = [...new Set(valuesAt(body, 'initiators.name').map(checkInitiator))];
  const g: SimIgroup = { uuid: randomUUID(), name, svm, protocol, os_type: String(body.os_type ?? 'linux'), initiators };
  cluster.state.igroups.push(g);
  cluster.commit();
  return { status: 201, body: ctx.query.get('return_records') === 'true' ? { num_records: 1, records: [igroupRecord(cluster, g)] } : {} };
}

async function createLunMap(ctx: RequestContext): Promise<{ status: number; body: Rec }> {
  const { cluster, body, scope } = ctx;
  const lunRef = valuesAt(body, 'lun.uuid')[0] ?? requireString(body, 'lun.name');
  const lun = cluster.state.luns.find((l) => (l.uuid === lunRef || l.name === lunRef) && inScope(scope, l.svm));
  if (lun === undefined) throw new OntapApiError(404, CODES.lunNotFound, `LUN "${String(lunRef)}" does not exist`, 'lun.name');
  const g = scopedIgroup(ctx, String(valuesAt(body, 'igroup.uuid')[0] ?? requireString(body, 'igroup.name')));
  if (g.svm !== lun.svm) throw badRequest(CODES.invalidField, 'The LUN and the igroup are in different SVMs');
  if (cluster.state.lunMaps.some((m) => m.lunUuid === lun.uuid && m.igroupUuid === g.uuid)) throw badRequest(CODES.lunMapExists, `LUN "${lun.name}" is already mapped to igroup "${g.name}"`);
  // Numbers are unique per SVM (not only per igroup) because tgt serves one target per SVM;
  // 0 is tgt's controller LUN.
  const taken = new Set(cluster.state.lunMaps.filter((m) => cluster.state.luns.find((l) => l.uuid === m.lunUuid)?.svm === lun.svm).map((m) => m.logical_unit_number));
  let number = body.logical_unit_number;
  if (number !== undefined) {
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 4095) throw badRequest(CODES.invalidField, 'logical_unit_number must be 1..4095 (0 is the target\'s controller LUN)', 'logical_unit_number');
    if (taken.has(number)) throw badRequest(CODES.lunMapExists, `LUN number ${number} is in use`, 'logical_unit_number');
  } else {
    number = 1;
    while (taken.has(number as number)) number = (number as number) + 1;
  }
  const map: SimLunMap = { lunUuid: lun.uuid, igroupUuid: g.uuid, logical_unit_number: number as number };
  cluster.state.lunMaps.push(map);
  cluster.commit();
  await cluster.exportLuns();
  return { status: 201, body: ctx.query.get('return_records') === 'true' ? { num_records: 1, records: [lunMapRecord(cluster, map)] } : {} };
}

/** igroups with their initiators, LUN maps, the iSCSI service and data interfaces. */
export const sanRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/protocols/san/igroups',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.igroups
        .filter((g) => inScope(scope, g.svm))
        .map((g) => igroupRecord(cluster, g))
        .filter((r) => matchesQuery(r, query))
        .map((r) => project(r, ['uuid', 'name'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/protocols/san/igroups') };
    },
  },
  { method: 'GET', path: '/api/protocols/san/igroups/{uuid}', handler: (ctx) => ({ status: 200, body: igroupRecord(ctx.cluster, scopedIgroup(ctx, ctx.params.uuid!)) }) },
  { method: 'POST', path: '/api/protocols/san/igroups', handler: createIgroup },
  {
    method: 'DELETE',
    path: '/api/protocols/san/igroups/{uuid}',
    handler: async (ctx) => {
      const { cluster } = ctx;
      const g = scopedIgroup(ctx, ctx.params.uuid!);
      const mapped = cluster.state.lunMaps.some((m) => m.igroupUuid === g.uuid);
      if (mapped && ctx.query.get('allow_delete_while_mapped') !== 'true') throw badRequest(CODES.igroupInUse, `Initiator group "${g.name}" has LUN maps`);
      cluster.state.lunMaps = cluster.state.lunMaps.filter((m) => m.igroupUuid !== g.uuid);
      cluster.state.igroups = cluster.state.igroups.filter((x) => x.uuid !== g.uuid);
      cluster.commit();
      await cluster.exportLuns();
      return { status: 200, body: {} };
    },
  },
  {
    method: 'POST',
    path: '/api/protocols/san/igroups/{uuid}/initiators',
    handler: async (ctx) => {
      const { cluster, body } = ctx;
      const g = scopedIgroup(ctx, ctx.params.uuid!);
      const names = Array.isArray(body.records) ? (body.records as Rec[]).map((r) => r.name) : [body.name];
      for (const n of names.map(checkInitiator)) {
        if (g.initiators.includes(n)) throw badRequest(CODES.duplicateEntry, `Initiator "${n}" is already in igroup "${g.name}"`);
        g.initiators.push(n);
      }
      cluster.commit();
      await cluster.exportLuns();
      return { status: 201, body: {} };
    },
  },
  {
    method: 'DELETE',
    path: '/api/protocols/san/igroups/{uuid}/initiators/{name}',
    handler: async (ctx) => {
      const { cluster } = ctx;
      const g = scopedIgroup(ctx, ctx.params.uuid!);
      const n = ctx.params.name!.toLowerCase();
      if (!g.initiators.includes(n)) throw notFound(`initiator ${n}`, 'name');
      g.initiators = g.initiators.filter((x) => x !== n);
      cluster.commit();
      await cluster.exportLuns();
      return { status: 200, body: {} };
    },
  },
  {
    method: 'GET',
    path: '/api/protocols/san/lun-maps',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.lunMaps
        .map((m) => lunMapRecord(cluster, m))
        .filter((r) => inScope(scope, String((r.svm as Rec).name)) && matchesQuery(r, query))
        .map((r) => project(r, ['lun', 'igroup', 'svm'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/protocols/san/lun-maps') };
    },
  },
  { method: 'POST', path: '/api/protocols/san/lun-maps', handler: createLunMap },
  {
    method: 'DELETE',
    path: '/api/protocols/san/lun-maps/{lun}/{igroup}',
    handler: async ({ cluster, params }) => {
      const before = cluster.state.lunMaps.length;
      cluster.state.lunMaps = cluster.state.lunMaps.filter((m) => !(m.lunUuid === params.lun && m.igroupUuid === params.igroup));
      if (cluster.state.lunMaps.length === before) throw new OntapApiError(404, CODES.noSuchLunMap, 'LUN map does not exist');
      cluster.commit();
      await cluster.exportLuns();
      return { status: 200, body: {} };
    },
  },
  {
    method: 'GET',
    path: '/api/protocols/san/iscsi/services',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.svms
        .filter((s) => inScope(scope, s.name))
        .map((s) => ({ svm: { name: s.name, uuid: s.uuid }, enabled: true, target: { name: s.iqn, alias: s.name } }))
        .filter((r) => matchesQuery(r, query))
        .map((r) => project(r, ['svm'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/protocols/san/iscsi/services') };
    },
  },
  {
    method: 'GET',
    path: '/api/network/ip/interfaces',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.svms
        .filter((s) => inScope(scope, s.name))
        .map((s) => ({ uuid: s.uuid, name: `${s.name}_iscsi_lif1`, svm: { name: s.name, uuid: s.uuid }, ip: { address: '127.0.0.1', netmask: '8' }, services: ['data_iscsi'], enabled: true, state: 'up' }))
        .filter((r) => matchesQuery(r, query))
        .map((r) => project(r, ['uuid', 'name'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/network/ip/interfaces') };
    },
  },
];
