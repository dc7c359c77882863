import { notFound } from '../errors.js';
import { NO_FAULTS, type SimFaults } from '../model.js';
import { collection, matchesQuery, project } from '../records.js';
import type { Route } from '../router.js';
import { inScope, jobRecord } from './render.js';

/** Cluster identity, SVMs, jobs, and the simulator's own fault-injection endpoint. */
export const clusterRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/cluster',
    handler: ({ cluster }) => {
      const c = cluster.state.cluster;
      const [generation, major, minor] = c.version.split('.').map(Number);
      return { status: 200, body: { name: c.name, uuid: c.uuid, version: { full: `NetApp Release ${c.version} (Ashlar simulator)`, generation, major, minor } } };
    },
  },
  {
    method: 'GET',
    path: '/api/svm/svms',
    handler: ({ cluster, query, scope }) => {
      const recs = cluster.state.svms
        .filter((s) => inScope(scope, s.name))
        .map((s) => ({ uuid: s.uuid, name: s.name, state: 'running', subtype: 'default', iscsi: { enabled: true } }))
        .filter((r) => matchesQuery(r, query))
        .map((r) => project(r, ['uuid', 'name'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/svm/svms') };
    },
  },
  {
    method: 'GET',
    path: '/api/cluster/jobs',
    handler: ({ cluster, query }) => {
      cluster.tidyJobs(false);
      const recs = cluster.state.jobs.map(jobRecord).filter((r) => matchesQuery(r, query)).map((r) => project(r, ['uuid'], query.get('fields')));
      return { status: 200, body: collection(recs, query, '/api/cluster/jobs') };
    },
  },
  {
    method: 'GET',
    path: '/api/cluster/jobs/{uuid}',
    handler: ({ cluster, params }) => {
      cluster.tidyJobs(false);
      const job = cluster.state.jobs.find((j) => j.uuid === params.uuid);
      if (job === undefined) throw notFound(`job ${params.uuid}`, 'uuid');
      return { status: 200, body: jobRecord(job) };
    },
  },
  { method: 'GET', path: '/api/_sim/faults', handler: ({ cluster }) => ({ status: 200, body: { ...cluster.state.faults } }) },
  {
    method: 'PATCH',
    path: '/api/_sim/faults',
    handler: ({ cluster, body }) => {
      const next: SimFaults = { ...NO_FAULTS, ...cluster.state.faults };
      for (const key of Object.keys(NO_FAULTS) as (keyof SimFaults)[]) {
        if (key in body) (next as unknown as Record<string, unknown>)[key] = body[key];
      }
      cluster.state.faults = next;
      cluster.commit();
      return { status: 200, body: { ...next } };
    },
  },
];
