import type { CallArgs, DriverVolume } from '../types.js';

/**
 * Names an object already on the backend, as the operator wrote it (Cinder's `ref`):
 * typically `{ "source-name": "..." }`.
 */
export type ExistingReference = Readonly<Record<string, string>>;

/** Args of {@link ManageCapable.manageExistingGetSize}. */
export interface ManageExistingGetSizeArgs extends CallArgs {
  readonly existingRef: ExistingReference;
}
/** Result of {@link ManageCapable.manageExistingGetSize}. */
export interface ManageExistingGetSizeResult {
  /** The object's size rounded up to whole GiB. */
  readonly sizeGiB: number;
}
/** Args of {@link ManageCapable.manageExisting}. */
export interface ManageExistingArgs extends CallArgs {
  /** The volume record that will own the object; `sizeGiB` is what get-size reported. */
  readonly volume: DriverVolume;
  readonly existingRef: ExistingReference;
}
/** Result of {@link ManageCapable.manageExisting}. */
export interface ManageExistingResult {
  readonly providerLocation?: string;
}
/** Args of {@link ManageCapable.unmanage}. */
export interface UnmanageArgs extends CallArgs {
  readonly volume: DriverVolume;
}
/** Result of {@link ManageCapable.unmanage}. */
export interface UnmanageResult {}
/** Args of {@link ManageCapable.listManageableVolumes}. */
export interface ListManageableVolumesArgs extends CallArgs {
  /** Resume after this reference's `source-name`. */
  readonly marker?: string | undefined;
  readonly limit?: number | undefined;
}
/** One backend object a manage call could adopt. */
export interface ManageableVolume {
  readonly reference: ExistingReference;
  readonly sizeGiB: number;
  /** False when it cannot be managed (already managed, in use, wrong kind). */
  readonly safeToManage: boolean;
  readonly reasonNotSafe?: string;
  /** Set when it is already managed as this volume id. */
  readonly cinderId?: string;
}
/** Result of {@link ManageCapable.listManageableVolumes}. */
export interface ListManageableVolumesResult {
  readonly volumes: readonly ManageableVolume[];
}

/**
 * Adopting existing backend objects and letting go of volumes without deleting them.
 * Declared by the `manage` capability.
 *
 * @capability manage
 * @since 1.0.0
 */
export interface ManageCapable {
  /**
   * Reports the size of an object that could be managed.
   *
   * @idempotency Read-only.
   * @throws MANAGE_TARGET_NOT_FOUND when the reference names nothing manageable.
   * @throws INVALID_ARGUMENT when the reference is malformed.
   * @since 1.0.0
   */
  manageExistingGetSize(args: ManageExistingGetSizeArgs): Promise<ManageExistingGetSizeResult>;

  /**
   * Adopts the object as `volume`; afterwards every volume call works on it and its data
   * is unchanged.
   *
   * @idempotency Not idempotent: the object is no longer manageable afterwards.
   * @throws MANAGE_TARGET_NOT_FOUND when the reference names nothing manageable.
   * @since 1.0.0
   */
  manageExisting(args: ManageExistingArgs): Promise<ManageExistingResult>;

  /**
   * Forgets the volume without deleting its data; the object becomes manageable again.
   *
   * @idempotency Unmanaging a volume that is gone succeeds.
   * @since 1.0.0
   */
  unmanage(args: UnmanageArgs): Promise<UnmanageResult>;

  /**
   * Lists backend objects and whether each is safe to manage, sorted by reference.
   *
   * @idempotency Read-only.
   * @since 1.0.0
   */
  listManageableVolumes(args: ListManageableVolumesArgs): Promise<ListManageableVolumesResult>;
}
