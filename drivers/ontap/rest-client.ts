import { AshlarError } from '../../core/errors/ashlar-error.js';
import type { OntapClusterConfig } from './manifest.js';

/** A REST record or response body. */
export type Json = Record<string, unknown>;

/** A collection response. */
export interface Collection<T> {
  readonly records: T[];
  readonly num_records: number;
  readonly _links?: { readonly next?: { readonly href: string } };
}

/** An error the cluster answered with: HTTP status plus ONTAP's numeric code. */
export class OntapRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Query values; arrays are joined with `|` (ONTAP's "or"). */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

interface JobRecord {
  readonly state: 'queued' | 'running' | 'paused' | 'success' | 'failure';
  readonly message?: string;
  readonly code?: number;
}

/**
 * A small ONTAP REST client: basic auth, `/api` paths, JSON bodies, asynchronous jobs
 * (202 → poll `/api/cluster/jobs/{uuid}` until success or failure), `next`-link paging.
 * Errors: the cluster's own answers become {@link OntapRestError} (the caller maps codes);
 * no answer (refused, reset, timeout, 5xx) becomes BACKEND_UNAVAILABLE.
 */
export class OntapRestClient {
  readonly #base: string;
  readonly #auth: string;
  readonly #timeoutMs: number;
  readonly #jobTimeoutMs: number;

  constructor(cluster: OntapClusterConfig, options: { readonly requestTimeoutMs: number; readonly jobTimeoutMs: number }) {
    const host = cluster.hostname.includes(':') && !cluster.hostname.startsWith('[') ? `[${cluster.hostname}]` : cluster.hostname;
    this.#base = `${cluster.transport}://${host}:${cluster.port}`;
    this.#auth = `Basic ${Buffer.from(`${cluster.username}:${cluster.password}`).toString('base64')}`;
    this.#timeoutMs = options.requestTimeoutMs;
    this.#jobTimeoutMs = options.jobTimeoutMs;
  }

  /** Where this client points (for messages; no credentials). */
  get endpoint(): string {
    return this.#base;
  }

  /** GET of one record. */
  get<T = Json>(path: string, query: Query, signal: AbortSignal): Promise<T> {
    return this.#request('GET', path, query, undefined, signal) as Promise<T>;
  }

  /** GET of a whole collection, following `next` links. */
  async list<T = Json>(path: string, query: Query, signal: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let page = (await this.#request('GET', path, query, undefined, signal)) as unknown as Collection<T>;
    out.push(...page.records);
    while (page._links?.next?.href !== undefined) {
      page = (await this.#request('GET', page._links.next.href, {}, undefined, signal)) as unknown as Collection<T>;
      out.push(...page.records);
    }
    return out;
  }

  /** POST, PATCH or DELETE; a 202 job is polled to its end. Returns the final body. */
  async send(method: 'POST' | 'PATCH' | 'DELETE', path: string, query: Query, body: Json | undefined, signal: AbortSignal): Promise<Json> {
    const answer = await this.#request(method, path, query, body, signal);
    const job = (answer.job as { uuid?: string } | undefined)?.uuid;
    if (job !== undefined) await this.#waitJob(job, `${method} ${path}`, signal);
    return answer;
  }

  async #waitJob(uuid: string, what: string, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.#jobTimeoutMs;
    let delay = 25;
    for (;;) {
      const job = await this.get<JobRecord>(`/api/cluster/jobs/${uuid}`, { fields: 'state,message,code' }, signal);
      if (job.state === 'success') return;
      if (job.state === 'failure') throw new OntapRestError(400, String(job.code ?? 0), job.message ?? `job ${uuid} failed`);
      if (Date.now() > deadline) throw new AshlarError('TIMEOUT', { details: { operation: `${what} (job ${uuid})`, ms: this.#jobTimeoutMs } });
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 1000);
    }
  }

  async #request(method: string, path: string, query: Query, body: Json | undefined, signal: AbortSignal): Promise<Json> {
    try {
      return await this.#attempt(method, path, query, body, signal);
    } catch (err) {
      // A GET may be repeated: once more after a connection the server closed under it.
      if (method !== 'GET' || !(err instanceof AshlarError) || err.code !== 'BACKEND_UNAVAILABLE' || signal.aborted) throw err;
      return this.#attempt(method, path, query, body, signal);
    }
  }

  async #attempt(method: string, path: string, query: Query, body: Json | undefined, signal: AbortSignal): Promise<Json> {
    const url = new URL(path, this.#base);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      url.searchParams.set(k, Array.isArray(v) ? v.join('|') : String(v));
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: this.#auth, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (err) {
      if (signal.aborted) throw new AshlarError('ABORTED', { details: { operation: `${method} ${url.pathname}` }, cause: err });
      const why = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : String((err as Error).cause ?? err);
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `${method} ${this.#base}${url.pathname}: ${why}` }, cause: err });
    }
    const text = await res.text().catch(() => '');
    const parsed = parseJson(text);
    if (res.ok) return parsed;
    const error = parsed.error as { message?: string; code?: string } | undefined;
    if (res.status >= 500 && res.status !== 501) {
      throw new AshlarError('BACKEND_UNAVAILABLE', { details: { reason: `${method} ${url.pathname}: HTTP ${res.status} ${error?.message ?? ''}`.trim() } });
    }
    throw new OntapRestError(res.status, String(error?.code ?? res.status), error?.message ?? `HTTP ${res.status}`);
  }
}

function parseJson(text: string): Json {
  if (text === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Json) : {};
  } catch {
    return {};
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AshlarError('ABORTED', { details: { operation: 'waiting for an ONTAP job' } }));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AshlarError('ABORTED', { details: { operation: 'waiting for an ONTAP job' } }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
