import type { GroupSnapshotsTable, GroupTypesTable, QosSpecsTable, TransfersTable, VolumeGroupsTable } from './area-tables.js';

/**
 * Table shapes of the service database. Booleans are stored as 0/1 integers, times as
 * ISO-8601 text and free-form maps as JSON text, so the same kysely code runs unchanged on
 * SQLite, PostgreSQL and MariaDB (no BOOLEAN/TINYINT, DATETIME precision or JSON column
 * differences to paper over).
 */

/** A volume as the API tracks it. */
export interface VolumesTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  attach_status: string;
  availability_zone: string;
  volume_type_id: string | null;
  /** `host@backend#pool`, set by the scheduler. */
  host: string | null;
  snapshot_id: string | null;
  source_volid: string | null;
  bootable: number;
  multiattach: number;
  provider_location: string | null;
  /** JSON object of string values. */
  metadata: string;
  migration_status: string | null;
  created_at: string;
  updated_at: string | null;
  /** The generic group the volume belongs to (migration 0008). */
  group_id?: string | null | undefined;
}

/** One key of a volume's admin metadata or image metadata (tables volume_admin_metadata, volume_glance_metadata). */
export interface VolumeKeyValueTable {
  volume_id: string;
  key: string;
  value: string;
}

/** One limit of a quota class (os-quota-class-sets); the `default` class overrides the configured defaults. */
export interface QuotaClassesTable {
  class_name: string;
  resource: string;
  hard_limit: number;
}

/** A snapshot. */
export interface SnapshotsTable {
  id: string;
  project_id: string;
  user_id: string;
  volume_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  progress: string;
  provider_location: string | null;
  metadata: string;
  created_at: string;
  updated_at: string | null;
  /** The group snapshot this snapshot was taken for (migration 0008). */
  group_snapshot_id?: string | null | undefined;
}

/** A volume type; `extra_specs` is a JSON object. */
export interface VolumeTypesTable {
  id: string;
  name: string;
  description: string | null;
  is_public: number;
  extra_specs: string;
  created_at: string;
  /** The QoS specs associated with the type (migration 0008). */
  qos_specs_id?: string | null | undefined;
}

/** Which private types a project may use. */
export interface VolumeTypeAccessTable {
  volume_type_id: string;
  project_id: string;
}

/** Per-project default volume type (3.62). */
export interface DefaultTypesTable {
  project_id: string;
  volume_type_id: string;
}

/** A volume attachment (attachments API and the legacy attach actions). */
export interface AttachmentsTable {
  id: string;
  volume_id: string;
  project_id: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_mode: string;
  status: string;
  /** JSON of the connector, or null while reserved. */
  connector: string | null;
  /** JSON of the connection info returned to the client. */
  connection_info: string | null;
  attach_time: string | null;
  detach_time: string | null;
  created_at: string;
}

/** A project's quota override; absent rows fall back to the [quota] defaults. */
export interface QuotasTable {
  project_id: string;
  resource: string;
  hard_limit: number;
}

/** A user-visible message about a failed asynchronous operation (3.3). */
export interface MessagesTable {
  id: string;
  project_id: string;
  request_id: string;
  resource_type: string;
  resource_uuid: string | null;
  event_id: string;
  message_level: string;
  user_message: string;
  created_at: string;
  expires_at: string;
}

/** A service process (API, scheduler or volume backend) with its heartbeat. */
export interface ServicesTable {
  /** Assigned by the service (max + 1) so every dialect shares one definition. */
  id: number;
  binary: string;
  host: string;
  availability_zone: string;
  disabled: number;
  disabled_reason: string | null;
  cluster_name: string | null;
  frozen: number;
  replication_status: string;
  /** JSON of the last stats report of a volume backend, read by schedulers in other processes. */
  capabilities: string | null;
  updated_at: string;
  created_at: string;
}

/**
 * A durable record of an asynchronous operation in progress, written in the same
 * transaction as the state change that starts it and removed when it finishes. Whatever
 * is left after a crash is recovered at start-up.
 */
export interface WorkTable {
  id: string;
  /** The volume-service host that owns the work. */
  host: string;
  resource_type: string;
  resource_id: string;
  operation: string;
  /** JSON arguments of the operation. */
  args: string;
  request_id: string;
  project_id: string;
  created_at: string;
  /**
   * The process running it, when several volume services serve one host (active-active);
   * null until one claims it, and always null for a host served by one process.
   */
  owner: string | null;
  /** When the owner last confirmed it is alive; a claim older than the lock timeout is taken over. */
  claimed_at: string | null;
}

/** A named lock held by a MariaDB transaction (see `lockUntilCommit`); one row per name ever locked. */
export interface TransactionLocksTable {
  name: string;
}

/** The whole database. */
export interface Database {
  volumes: VolumesTable;
  snapshots: SnapshotsTable;
  volume_types: VolumeTypesTable;
  volume_type_access: VolumeTypeAccessTable;
  default_types: DefaultTypesTable;
  attachments: AttachmentsTable;
  quotas: QuotasTable;
  messages: MessagesTable;
  services: ServicesTable;
  work: WorkTable;
  volume_admin_metadata: VolumeKeyValueTable;
  volume_glance_metadata: VolumeKeyValueTable;
  quota_classes: QuotaClassesTable;
  transaction_locks: TransactionLocksTable;
  qos_specs: QosSpecsTable;
  group_types: GroupTypesTable;
  volume_groups: VolumeGroupsTable;
  group_snapshots: GroupSnapshotsTable;
  transfers: TransfersTable;
}
