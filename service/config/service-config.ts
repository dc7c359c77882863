import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { didYouMean } from '../../core/util/did-you-mean.js';
import { attributeInherited } from './inherited-keys.js';
import { formatSchemaErrors, ownConfigAjv } from '../../core/validation/schema-registry.js';
import { parseCoordinationUrl, type CoordinationConfig } from './coordination-url.js';
import { parseDatabaseUrl } from './database-url.js';
import { parseIni, type IniDocument } from './ini.js';
import {
  BACKEND_SERVICE_KEYS,
  BACKEND_SERVICE_KEYS_SCHEMA,
  COORDINATION_SECTION_SCHEMA,
  DATABASE_SECTION_SCHEMA,
  DEFAULT_SECTION_SCHEMA,
  QUOTA_SECTION_SCHEMA,
} from './schemas.js';
import type { DatabaseConfig } from '../db/database-config.js';

/** The section whose keys every backend section inherits (a backend's own keys win). */
export const BACKEND_DEFAULTS_SECTION = 'backend_defaults';

/** One enabled backend: its service keys and the raw driver options. */
export interface BackendConfig {
  /** The config section name, also the backend part of `host@backend#pool`. */
  readonly section: string;
  readonly driver: string;
  readonly backendName: string;
  readonly availabilityZone: string;
  /** Driver options, still strings; validated by the driver's schema when it is loaded. */
  readonly driverOptions: Readonly<Record<string, string>>;
  /** Keys taken from `[backend_defaults]` (not set in the section): errors in them name that section. */
  readonly inheritedKeys?: readonly string[];
}

/** Default quota limits. */
export interface QuotaDefaults {
  readonly volumes: number;
  readonly snapshots: number;
  readonly gigabytes: number;
  readonly backups: number;
  readonly backup_gigabytes: number;
  readonly per_volume_gigabytes: number;
  readonly groups: number;
}

/** The validated configuration of a service process. */
export interface ServiceConfig {
  readonly host: string;
  /** The active-active cluster this volume service belongs to (`[DEFAULT] cluster`), if any. */
  readonly cluster?: string | undefined;
  readonly statePath: string;
  readonly listen: string;
  readonly port: number;
  readonly auth: { readonly strategy: 'noauth' | 'http_basic'; readonly userFile?: string; readonly projectMap: ReadonlyMap<string, string> };
  readonly adminProject: string;
  readonly adminUsers: readonly string[];
  readonly defaultVolumeType: string;
  readonly storageAvailabilityZone: string;
  readonly defaultAvailabilityZone: string;
  readonly allowAvailabilityZoneFallback: boolean;
  readonly responseValidation: 'off' | 'warn' | 'error';
  /** `enable_experimental_api`: serve the routes marked experimental. */
  readonly experimentalApi: boolean;
  readonly maxLimit: number;
  readonly capacityWeightMultiplier: number;
  readonly statsIntervalS: number;
  readonly messageTtlS: number;
  readonly logLevel: string;
  readonly database: DatabaseConfig;
  readonly coordination: CoordinationConfig;
  readonly quota: QuotaDefaults;
  readonly backends: readonly BackendConfig[];
}

/** Overrides from the command line, applied over the file. */
export interface ConfigOverrides {
  readonly statePath?: string | undefined;
  readonly port?: number | undefined;
  readonly listen?: string | undefined;
  readonly responseValidation?: 'off' | 'warn' | 'error' | undefined;
  readonly logLevel?: string | undefined;
}

/** Reads and validates a config file; see {@link buildServiceConfig}. */
export function loadServiceConfig(file: string | undefined, overrides: ConfigOverrides = {}): ServiceConfig {
  let doc: IniDocument = new Map();
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `cannot read config file ${file}: ${(err as Error).message}` }, cause: err });
    }
    doc = parseIni(text, file);
  }
  return buildServiceConfig(doc, overrides, file ? path.dirname(path.resolve(file)) : process.cwd());
}

/**
 * Validates every section against its schema (errors name `[section] key`), applies the
 * embedded defaults, and resolves backends: each name in `enabled_backends` must have a
 * section; it inherits `[backend_defaults]`. Without `enabled_backends` the service runs
 * one `file` backend under `<state_path>/volumes`.
 */
export function buildServiceConfig(doc: IniDocument, overrides: ConfigOverrides = {}, baseDir = process.cwd()): ServiceConfig {
  const backendNames = splitList(doc.get('DEFAULT')?.get('enabled_backends'));
  const known = new Set(['DEFAULT', 'database', 'coordination', 'quota', BACKEND_DEFAULTS_SECTION, ...backendNames]);
  for (const section of doc.keys()) {
    if (!known.has(section)) {
      const hint = didYouMean(section, [...known]);
      throw new AshlarError('CONFIG_INVALID', {
        details: { reason: `[${section}] is not a known section and not listed in [DEFAULT] enabled_backends${hint ? ` (did you mean [${hint}]?)` : ''}`, section },
      });
    }
  }
  const d = validateSection<Record<string, unknown>>('DEFAULT', DEFAULT_SECTION_SCHEMA, doc.get('DEFAULT'));
  const db = validateSection<Record<string, unknown>>('database', DATABASE_SECTION_SCHEMA, doc.get('database'));
  const coord = validateSection<Record<string, unknown>>('coordination', COORDINATION_SECTION_SCHEMA, doc.get('coordination'));
  const quota = validateSection<QuotaDefaults>('quota', QUOTA_SECTION_SCHEMA, doc.get('quota'));

  const statePath = path.resolve(baseDir, overrides.statePath ?? (d.state_path as string));
  const storageAz = d.storage_availability_zone as string;
  const backendDefaults = doc.get(BACKEND_DEFAULTS_SECTION) ?? new Map<string, string>();
  const backends: BackendConfig[] = [];
  if (backendNames.length === 0) {
    backends.push({ section: 'file', driver: 'file', backendName: 'file', availabilityZone: storageAz, driverOptions: { directory: path.join(statePath, 'volumes') } });
  }
  for (const name of backendNames) {
    if (!doc.has(name)) {
      throw new AshlarError('CONFIG_INVALID', { details: { reason: `[DEFAULT] enabled_backends lists "${name}" but there is no [${name}] section`, section: 'DEFAULT', key: 'enabled_backends' } });
    }
    const merged = new Map([...backendDefaults, ...doc.get(name)!]);
    const inheritedKeys = [...backendDefaults.keys()].filter((k) => !doc.get(name)!.has(k));
    const serviceRaw = new Map([...merged].filter(([k]) => BACKEND_SERVICE_KEYS.includes(k)));
    let service: Record<string, string>;
    try {
      service = validateSection<Record<string, string>>(name, BACKEND_SERVICE_KEYS_SCHEMA, serviceRaw, true);
    } catch (err) {
      throw attributeInherited(err, name, inheritedKeys);
    }
    const driverOptions: Record<string, string> = {};
    for (const [k, v] of merged) if (!BACKEND_SERVICE_KEYS.includes(k)) driverOptions[k] = v;
    backends.push({
      section: name,
      driver: service.volume_driver!,
      backendName: service.volume_backend_name ?? name,
      availabilityZone: service.backend_availability_zone ?? storageAz,
      driverOptions,
      inheritedKeys,
    });
  }

  const database = parseDatabaseUrl(db.connection as string | undefined, statePath, { busyTimeoutMs: db.busy_timeout_ms as number, poolSize: db.max_pool_size as number });

  const coordination = parseCoordinationUrl(coord.backend_url as string, coord.lock_timeout as number);
  const cluster = d.cluster as string | undefined;
  if (cluster !== undefined) checkClusterPrerequisites(database, coordination);

  return {
    host: (d.host as string | undefined) ?? os.hostname(),
    ...(cluster !== undefined ? { cluster } : {}),
    statePath,
    listen: overrides.listen ?? (d.osapi_volume_listen as string),
    port: overrides.port ?? (d.osapi_volume_listen_port as number),
    auth: {
      strategy: d.auth_strategy as 'noauth' | 'http_basic',
      ...(d.http_basic_auth_user_file !== undefined ? { userFile: path.resolve(baseDir, d.http_basic_auth_user_file as string) } : {}),
      projectMap: new Map(splitList(d.http_basic_project_map as string | undefined).map((pair) => pair.split(':', 2) as [string, string])),
    },
    adminProject: d.admin_project as string,
    adminUsers: splitList(d.admin_users as string),
    defaultVolumeType: d.default_volume_type as string,
    storageAvailabilityZone: storageAz,
    defaultAvailabilityZone: (d.default_availability_zone as string | undefined) ?? storageAz,
    allowAvailabilityZoneFallback: d.allow_availability_zone_fallback as boolean,
    responseValidation: overrides.responseValidation ?? (d.response_validation as 'off' | 'warn' | 'error'),
    experimentalApi: d.enable_experimental_api as boolean,
    maxLimit: d.osapi_max_limit as number,
    capacityWeightMultiplier: d.capacity_weight_multiplier as number,
    statsIntervalS: d.stats_interval as number,
    messageTtlS: d.message_ttl as number,
    logLevel: overrides.logLevel ?? (d.log_level as string),
    database,
    coordination,
    quota,
    backends,
  };
}

/**
 * A cluster's members run on several machines and share locks and rows: refuse the
 * combinations that cannot hold across processes rather than let them corrupt state later.
 */
function checkClusterPrerequisites(database: DatabaseConfig, coordination: CoordinationConfig): void {
  if (coordination.kind !== 'etcd') {
    throw new AshlarError('CONFIG_INVALID', {
      details: { reason: '[DEFAULT] cluster needs [coordination] backend_url = etcd3+http://HOST:PORT: with in-process locks the members of a cluster would run the same work at once', section: 'DEFAULT', key: 'cluster' },
    });
  }
  if (database.kind === 'sqlite') {
    throw new AshlarError('CONFIG_INVALID', {
      details: { reason: '[DEFAULT] cluster needs a server database ([database] connection = postgresql://... or mysql+pymysql://...): members on other machines cannot share an SQLite file', section: 'DEFAULT', key: 'cluster' },
    });
  }
}

function validateSection<T>(section: string, schema: { properties: Record<string, unknown> }, values: ReadonlyMap<string, string> | undefined, partial = false): T {
  const known = Object.keys(schema.properties);
  const obj: Record<string, unknown> = {};
  for (const [key, value] of values ?? []) {
    if (!partial && !known.includes(key)) {
      const hint = didYouMean(key, known);
      throw new AshlarError('CONFIG_INVALID', {
        details: { reason: `[${section}] unknown option "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, section, key },
        suggestions: hint ? [`rename "${key}" to "${hint}"`] : [],
      });
    }
    obj[key] = value;
  }
  const validate = ajv().compile({ ...schema, additionalProperties: false });
  if (!validate(obj)) {
    const lines = formatSchemaErrors(validate.errors, '').map((l) => `[${section}] ${l.replace(/^\//, '')}`);
    const key = validate.errors?.[0]?.instancePath.replace(/^\//, '');
    throw new AshlarError('CONFIG_INVALID', { details: { reason: lines.join('; '), section, ...(key ? { key } : {}) } });
  }
  return obj as T;
}

const ajv = ownConfigAjv;

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
