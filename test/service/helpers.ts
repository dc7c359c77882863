import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseIni } from '../../service/config/ini.js';
import { buildServiceConfig, type ServiceConfig } from '../../service/config/service-config.js';
import { startService, type RunningService, type ServiceRole } from '../../service/service.js';
import { BUILTIN_DRIVERS } from '../../cli/builtin-drivers.js';
import type { DatabaseUnderTest } from './databases/each-database.js';
import { SQLITE_DATABASE, type TestDatabase } from './databases/test-database.js';

export { forEachDatabase, type DatabaseUnderTest } from './databases/each-database.js';
export type { TestDatabase } from './databases/test-database.js';

/** A service on a random port and a temporary state dir, validating its own responses strictly. */
export interface TestService {
  readonly service: RunningService;
  readonly url: string;
  readonly stateDir: string;
  /** The database it runs on; hand it to a restarted service (with the same stateDir). */
  readonly database: TestDatabase;
  /** JSON request as `user:project`; returns status, headers and parsed body. */
  call(method: string, urlPath: string, opts?: { token?: string; body?: unknown; version?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Polls a volume or snapshot until its status leaves the transitional one. */
  waitFor(urlPath: string, key: 'volume' | 'snapshot', statuses: string[], token?: string): Promise<any>;
  stop(): Promise<void>;
}

/** Options of {@link startTestService}. */
export interface TestServiceOptions {
  readonly role?: ServiceRole;
  /** Reuse this state dir (a restart); a new temp dir otherwise, removed by `stop`. */
  readonly stateDir?: string;
  /**
   * The suite's database (a new empty one is created on it), or the database of a
   * service being restarted. @defaultValue SQLite in the state dir
   */
  readonly database?: DatabaseUnderTest | TestDatabase;
}

/** Starts a service from INI text (placeholders `{state}` replaced by the temp dir). */
export async function startTestService(ini = '', options: TestServiceOptions = {}): Promise<TestService> {
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'ashlar-svc-')));
  const database = options.database === undefined ? SQLITE_DATABASE : 'create' in options.database ? await options.database.create() : options.database;
  const doc = parseIni(ini.replaceAll('{state}', stateDir));
  if (database.connection !== undefined) doc.set('database', new Map([...(doc.get('database') ?? []), ['connection', database.connection]]));
  const config: ServiceConfig = buildServiceConfig(doc, { statePath: stateDir, port: 0, responseValidation: 'error' });
  const service = await startService(config, { role: options.role ?? 'all', builtinDrivers: BUILTIN_DRIVERS });
  const url = service.url!;
  const call: TestService['call'] = async (method, urlPath, opts = {}) => {
    const headers: Record<string, string> = { 'X-Auth-Token': opts.token ?? 'admin:admin', 'OpenStack-API-Version': `volume ${opts.version ?? '3.70'}`, ...opts.headers };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${url}${urlPath}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const waitFor: TestService['waitFor'] = async (urlPath, key, statuses, token) => {
    for (let i = 0; i < 400; i++) {
      const r = await call('GET', urlPath, token ? { token } : {});
      if (r.status === 404 && statuses.includes('deleted')) return undefined;
      if (r.status === 200 && statuses.includes(r.body[key].status)) return r.body[key];
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`${urlPath} never reached ${statuses.join('/')}`);
  };
  return {
    service,
    url,
    stateDir,
    database,
    call,
    waitFor,
    stop: async () => {
      await service.close();
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Fails under CI, skips loudly otherwise. */
export function requireOrSkip(ctx: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI but missing`);
  console.warn(`      SKIPPED: ${what} is not installed`);
  ctx.skip();
}
