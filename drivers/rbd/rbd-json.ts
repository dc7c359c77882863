/**
 * The subset of the rbd CLI's `--format json` output the driver reads (Ceph 16).
 */

/** `rbd info --format json`. */
export interface RbdImageInfo {
  readonly name: string;
  readonly id: string;
  readonly size: number;
  /** All snapshots, including those in the trash namespace. */
  readonly snapshot_count?: number;
  readonly features?: readonly string[];
  readonly parent?: RbdParent;
}

/** The `parent` of a clone in `rbd info`: `trash` is true once the parent image was moved to the trash. */
export interface RbdParent {
  readonly pool: string;
  readonly pool_namespace?: string;
  readonly image: string;
  readonly id: string;
  readonly snapshot: string;
  readonly trash: boolean;
  readonly overlap: number;
}

/** One entry of `rbd snap ls --format json` (user namespace only unless --all). */
export interface RbdSnapshotEntry {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly protected?: string;
  /** With `--all`: `user`, or `trash` for a removed snapshot clones still depend on. */
  readonly namespace?: { readonly type: string };
}

/** One entry of `rbd ls -l --format json`: an image, or one of its snapshots when `snapshot` is set. */
export interface RbdListEntry {
  readonly image: string;
  readonly id?: string;
  readonly size: number;
  readonly snapshot?: string;
}

/** One entry of `rbd trash ls --format json`. */
export interface RbdTrashEntry {
  readonly id: string;
  readonly name: string;
}

/** One entry of `rbd children --format json`. */
export interface RbdChildEntry {
  readonly pool: string;
  readonly pool_namespace?: string;
  readonly image: string;
  readonly id: string;
  readonly trash: boolean;
}
