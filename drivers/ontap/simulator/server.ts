import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticate, authorize } from './auth.js';
import type { Cluster } from './cluster.js';
import { CODES, OntapApiError, notFound } from './errors.js';
import type { SimJob } from './model.js';
import { expandDotted, type Rec } from './records.js';
import { matchPath, type Reply, type Route } from './router.js';
import { clusterRoutes } from './routes/cluster.js';
import { iscsiCredentialRoutes } from './routes/iscsi-credentials.js';
import { lunRoutes } from './routes/luns.js';
import { sanRoutes } from './routes/san.js';
import { snapmirrorRoutes } from './routes/snapmirror.js';
import { storageRoutes } from './routes/storage.js';

const ROUTES: readonly Route[] = [...clusterRoutes, ...storageRoutes, ...lunRoutes, ...sanRoutes, ...iscsiCredentialRoutes, ...snapmirrorRoutes];
/** ONTAP's ceiling for `return_timeout`. */
const MAX_RETURN_TIMEOUT_S = 120;
const MAX_BODY = 1024 * 1024;

/** Creates the REST server of one cluster (not yet listening). */
export function createApiServer(cluster: Cluster): Server {
  return createServer((req, res) => {
    handle(cluster, req, res).catch((err: unknown) => send(res, 500, { error: { message: String(err), code: CODES.unavailable } }));
  });
}

async function handle(cluster: Cluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const admin = url.pathname.startsWith('/api/_sim');
  const faults = cluster.state.faults;
  // The admin endpoint stays reachable so a test can always lift the faults it injected.
  if (!admin) {
    if (faults.unresponsive) return void req.socket.setTimeout(0);
    if (Math.random() < faults.dropRate) return void req.socket.destroy();
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (Math.random() < faults.errorRate) return send(res, 503, new OntapApiError(503, CODES.unavailable, 'injected fault: service unavailable').toBody());
  }
  try {
    const body = await readBody(req);
    const user = authenticate(req, cluster.state);
    const method = (req.method ?? 'GET').toUpperCase();
    const apiPath = url.pathname.replace(/\/+$/, '');
    authorize(user, cluster.state, method, apiPath);
    const found = findRoute(method, apiPath);
    const reply = await found.route.handler({ cluster, params: found.params, query: url.searchParams, body, user, scope: user.svm, path: apiPath });
    await answer(cluster, reply, url.searchParams, res);
  } catch (err) {
    if (err instanceof OntapApiError) {
      if (err.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="ontap-simulator"');
      return send(res, err.status, err.toBody());
    }
    throw err;
  }
}

function findRoute(method: string, apiPath: string): { route: Route; params: Record<string, string> } {
  let pathKnown = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, apiPath);
    if (params === undefined) continue;
    pathKnown = true;
    if (route.method === method) return { route, params };
  }
  if (pathKnown) throw new OntapApiError(405, CODES.unexpectedArgument, `method ${method} is not allowed on ${apiPath}`);
  throw notFound(`API path ${apiPath}`);
}

/**
 * Sends a reply; a job reply waits up to `return_timeout` seconds for the job first. ONTAP's
 * default for POST/PATCH/DELETE is 0 (answer 202 at once); its 15 s default applies to
 * iterating a collection, which the simulator always finishes at once.
 */
async function answer(cluster: Cluster, reply: Reply, query: URLSearchParams, res: ServerResponse): Promise<void> {
  if (!('job' in reply)) return send(res, reply.status, reply.body);
  const timeout = Math.min(Number(query.get('return_timeout') ?? '0') || 0, MAX_RETURN_TIMEOUT_S);
  const job = reply.job;
  const deadline = Date.now() + timeout * 1000;
  while ((job.state === 'queued' || job.state === 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (job.state === 'success') return send(res, reply.status, reply.body?.() ?? {});
  if (job.state === 'failure') return send(res, 400, new OntapApiError(400, String(job.code), job.message).toBody());
  return send(res, 202, jobLink(job));
}

/** The 202 body ONTAP answers for an accepted asynchronous request. */
export function jobLink(job: SimJob): Rec {
  return { job: { uuid: job.uuid, _links: { self: { href: `/api/cluster/jobs/${job.uuid}` } } } };
}

async function readBody(req: IncomingMessage): Promise<Rec> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new OntapApiError(413, CODES.invalidField, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return expandDotted(parsed as Rec);
  } catch {
    throw new OntapApiError(400, CODES.invalidField, 'invalid JSON in request body');
  }
}

function send(res: ServerResponse, status: number, body: Rec): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/hal+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
