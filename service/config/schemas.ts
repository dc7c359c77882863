/**
 * JSON Schemas of the service's own config sections. Values arrive as INI strings; ajv
 * coerces them to the declared types and fills defaults, and unknown keys are refused
 * with a did-you-mean hint naming the section.
 */

const positiveInt = { type: 'integer', minimum: 1 } as const;
const quotaLimit = { type: 'integer', minimum: -1, description: '-1 means unlimited.' } as const;

/** `[DEFAULT]`: the process, the API and the scheduler. */
export const DEFAULT_SECTION_SCHEMA = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1, description: 'Name of this host in `host@backend#pool`. @defaultValue the machine hostname' },
    cluster: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$',
      description:
        'Name of the active-active cluster this volume service joins. Every process with the same cluster name serves the same backends as one: volumes are placed on `cluster@backend#pool` and any member runs their work, while each member keeps its own `host` in os-services. Needs drivers that declare activeActive, etcd coordination and a PostgreSQL or MariaDB database. @defaultValue none: the process serves its own host',
    },
    state_path: { type: 'string', minLength: 1, default: './.ashlar-state', description: 'Directory for the SQLite database and the default file backend.' },
    osapi_volume_listen: { type: 'string', default: '127.0.0.1', description: 'Address the API listens on.' },
    osapi_volume_listen_port: { type: 'integer', minimum: 0, maximum: 65535, default: 8776, description: 'Port the API listens on (0 picks a free port).' },
    auth_strategy: { enum: ['noauth', 'http_basic'], default: 'noauth', description: 'noauth: X-Auth-Token "user:project"; http_basic: htpasswd file with bcrypt hashes.' },
    http_basic_auth_user_file: { type: 'string', description: 'htpasswd file (bcrypt entries) for auth_strategy = http_basic.' },
    http_basic_project_map: { type: 'string', description: 'Comma-separated user:project pairs for http_basic; a user without one uses its user name as project.' },
    admin_project: { type: 'string', default: 'admin', description: 'A caller whose project is this one is an administrator (as is the user "admin").' },
    admin_users: { type: 'string', default: 'admin', description: 'Comma-separated user names that are administrators.' },
    enabled_backends: { type: 'string', description: 'Comma-separated backend section names. @defaultValue one `file` backend under state_path/volumes' },
    default_volume_type: { type: 'string', default: '__DEFAULT__', description: 'Volume type used when a request names none; created at start-up if missing.' },
    storage_availability_zone: { type: 'string', default: 'nova', description: 'Availability zone of backends that do not set backend_availability_zone.' },
    default_availability_zone: { type: 'string', description: 'Zone given to volumes created without one. @defaultValue storage_availability_zone' },
    allow_availability_zone_fallback: { type: 'boolean', default: false, description: 'When the requested zone does not exist, use default_availability_zone instead of failing.' },
    enable_experimental_api: { type: 'boolean', default: false, description: 'Serve the API routes marked experimental (x-openstack experimental in the OpenAPI document); they may change without a new microversion. Off, they answer 404 as if absent.' },
    response_validation: { enum: ['off', 'warn', 'error'], default: 'off', description: 'Check every response body against its schema: off, warn (log), error (answer 500).' },
    osapi_max_limit: { ...positiveInt, default: 1000, description: 'Largest page a list returns.' },
    capacity_weight_multiplier: { type: 'number', default: 1, description: 'Positive spreads volumes to the backend with most free space, negative stacks them.' },
    stats_interval: { type: 'integer', minimum: 1, default: 60, description: 'Seconds between driver stats reports to the scheduler.' },
    message_ttl: { type: 'integer', minimum: 1, default: 2592000, description: 'Seconds a user message is kept.' },
    log_level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  },
} as const;

/** `[database]`. */
export const DATABASE_SECTION_SCHEMA = {
  type: 'object',
  properties: {
    connection: {
      type: 'string',
      pattern: '^(sqlite|postgres(ql)?(\\+[A-Za-z0-9_]+)?|mysql(\\+[A-Za-z0-9_]+)?|mariadb)://',
      description:
        'sqlite:///absolute/path.db, sqlite://relative.db, postgresql://user:pass@host:port/db, or MariaDB 10.6+ as mysql+pymysql://user:pass@host:port/db (also mysql://, mariadb://). The password is never logged. @defaultValue sqlite in state_path/ashlar.db',
    },
    busy_timeout_ms: { type: 'integer', minimum: 0, default: 10000, description: 'SQLite: how long a writer waits for another process.' },
    max_pool_size: { ...positiveInt, default: 10, description: 'PostgreSQL and MariaDB: connections per process.' },
  },
} as const;

/** `[coordination]`. */
export const COORDINATION_SECTION_SCHEMA = {
  type: 'object',
  properties: {
    backend_url: {
      type: 'string',
      default: 'memory://',
      description:
        'memory:// (in-process locks: one volume service per host), or etcd3+http://HOST:PORT (also etcd3+https://, several members comma-separated; etcd 3.4+): locks shared by every process, so several volume services may serve one host (active-active).',
    },
    lock_timeout: {
      type: 'integer',
      minimum: 2,
      default: 30,
      description: 'etcd: seconds after which a process that stopped answering loses its locks, and its unfinished work is taken over by another volume service of its host.',
    },
  },
} as const;

/** `[quota]`: default limits of every project. */
export const QUOTA_SECTION_SCHEMA = {
  type: 'object',
  properties: {
    volumes: { ...quotaLimit, default: 10 },
    snapshots: { ...quotaLimit, default: 10 },
    gigabytes: { ...quotaLimit, default: 1000 },
    backups: { ...quotaLimit, default: 10 },
    backup_gigabytes: { ...quotaLimit, default: 1000 },
    per_volume_gigabytes: { ...quotaLimit, default: -1 },
    groups: { ...quotaLimit, default: 10 },
  },
} as const;

/**
 * Service keys of a backend section (and of `[backend_defaults]`); every other key in the
 * section is a driver option checked against the driver's own config schema.
 */
export const BACKEND_SERVICE_KEYS_SCHEMA = {
  type: 'object',
  properties: {
    volume_driver: { type: 'string', minLength: 1, default: 'file', description: 'Driver plugin: a built-in name, a path or a package.' },
    volume_backend_name: { type: 'string', minLength: 1, description: 'Name volume types select with the extra spec volume_backend_name. @defaultValue the section name' },
    backend_availability_zone: { type: 'string', minLength: 1, description: 'Zone of this backend. @defaultValue storage_availability_zone' },
  },
} as const;

/** Names of the service keys a backend section may carry. */
export const BACKEND_SERVICE_KEYS = Object.keys(BACKEND_SERVICE_KEYS_SCHEMA.properties);
