/**
 * Table shapes of QoS specs, group types, generic volume groups, group snapshots and volume
 * transfers (migration 0008), kept beside `tables.ts` so each area reads on its own. The
 * same conventions hold: booleans as 0/1, times as ISO-8601 text, maps and lists as JSON.
 */

/** A QoS specification; a volume type points at one through `volume_types.qos_specs_id`. */
export interface QosSpecsTable {
  id: string;
  name: string;
  /** `front-end`, `back-end` or `both`. */
  consumer: string;
  /** JSON object of string values. */
  specs: string;
  created_at: string;
}

/** A group type; `group_specs` is a JSON object of string values. */
export interface GroupTypesTable {
  id: string;
  name: string;
  description: string | null;
  is_public: number;
  group_specs: string;
  created_at: string;
}

/** A generic volume group (table `volume_groups`). */
export interface VolumeGroupsTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  status: string;
  availability_zone: string;
  group_type_id: string;
  /** JSON array of the volume type ids the group's volumes may have. */
  volume_type_ids: string;
  /** The group snapshot it was created from (create-from-src). */
  group_snapshot_id: string | null;
  /** The group it was cloned from (create-from-src). */
  source_group_id: string | null;
  created_at: string;
  updated_at: string | null;
}

/** A group snapshot: one snapshot of each volume of the group, carrying its id. */
export interface GroupSnapshotsTable {
  id: string;
  project_id: string;
  user_id: string;
  group_id: string;
  group_type_id: string;
  name: string | null;
  description: string | null;
  status: string;
  created_at: string;
  updated_at: string | null;
}

/**
 * A volume transfer. The auth key is never stored: only a salted hash of it. An accepted
 * transfer stays as history (3.57: `accepted`, `destination_project_id`).
 */
export interface TransfersTable {
  id: string;
  volume_id: string;
  name: string | null;
  salt: string;
  crypt_hash: string;
  /** 1: the volume's snapshots stay with the giver (3.55). */
  no_snapshots: number;
  source_project_id: string;
  destination_project_id: string | null;
  accepted: number;
  created_at: string;
  updated_at: string | null;
}
