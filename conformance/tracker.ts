import type { DriverSnapshot, DriverVolume } from '../core/contract/types.js';

/**
 * Every volume and snapshot a run asked the driver to create, whether or not the call
 * succeeded, so the final sweep can delete them all (snapshots first).
 */
export class ResourceTracker {
  readonly #volumes = new Map<string, DriverVolume>();
  readonly #snapshots = new Map<string, DriverSnapshot>();

  /** Records a volume before the create call (a failed create may still leave something). */
  volume(volume: DriverVolume): void {
    this.#volumes.set(volume.id, volume);
  }

  snapshot(snapshot: DriverSnapshot): void {
    this.#snapshots.set(snapshot.id, snapshot);
  }

  /** Forgets what a successful delete removed. */
  forgetVolume(id: string): void {
    this.#volumes.delete(id);
  }

  forgetSnapshot(id: string): void {
    this.#snapshots.delete(id);
  }

  get volumes(): DriverVolume[] {
    return [...this.#volumes.values()];
  }

  get snapshots(): DriverSnapshot[] {
    return [...this.#snapshots.values()];
  }

  /** How many resources were ever recorded. */
  created = 0;

  /** Counts a create attempt. */
  count(): void {
    this.created++;
  }
}
