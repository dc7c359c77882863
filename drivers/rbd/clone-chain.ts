import type { Logger } from 'pino';
import type { CephCli } from './ceph-cli.js';
import { Errno } from './errno.js';
import { CLONE_SNAPSHOT_PREFIX, VOLUME_PREFIX } from './names.js';
import type { RbdImageInfo, RbdParent, RbdSnapshotEntry, RbdTrashEntry } from './rbd-json.js';

/**
 * Walks and tidies chains of layered clones.
 *
 * A volume that still has clones cannot be removed (its trashed clone snapshots pin it), so
 * the driver moves it to the RBD trash instead. Whoever later removes or flattens the last
 * clone purges the trashed ancestors; a sweep at setup catches anything a crash left.
 * Only trash entries named `volume-*` are ever purged: the trash may hold an operator's
 * images too.
 */
export class CloneChain {
  readonly #cli: CephCli;
  readonly #logger: Logger;

  constructor(cli: CephCli, logger: Logger) {
    this.#cli = cli;
    this.#logger = logger;
  }

  /**
   * How many parents the image has, counting at most `limit + 1` (enough to compare with a
   * maximum depth without walking a long chain to its end).
   */
  async depth(info: RbdImageInfo, limit: number, signal: AbortSignal): Promise<number> {
    let depth = 0;
    let parent = info.parent;
    while (parent !== undefined && depth <= limit) {
      depth += 1;
      const next = await this.#infoById(parent, signal);
      parent = next?.parent;
    }
    return depth;
  }

  /**
   * Purges trashed ancestors that nothing depends on any more, starting at `parent`.
   * Called after a clone was removed or flattened.
   */
  async purgeAncestors(parent: RbdParent | undefined, signal: AbortSignal): Promise<void> {
    let next = parent;
    while (next !== undefined && next.image.startsWith(VOLUME_PREFIX)) {
      // Learn the grandparent before the parent disappears. A parent that looked live may
      // have been trashed since (its delete raced ours), so the removal is attempted anyway.
      const grand = next.trash ? (await this.#infoById(next, signal))?.parent : undefined;
      const removed = await this.#trashRemove(next.pool, next.id, signal);
      if (!removed) return;
      if (!next.trash) {
        // We removed a parent we did not know was trashed, so its own parent is unknown.
        await this.sweep(next.pool, signal);
        return;
      }
      next = grand;
    }
  }

  /**
   * Removes every `volume-*` trash entry of the pool that nothing depends on any more,
   * repeating while that frees more (a trashed chain is freed child first).
   */
  async sweep(pool: string, signal: AbortSignal): Promise<number> {
    let purged = 0;
    for (let round = 0; round < 64; round += 1) {
      const entries = (await this.#cli.rbdJson<RbdTrashEntry[] | null>(['trash', 'ls', pool], signal, { id: pool, notFound: 'CONFIG_INVALID' })) ?? [];
      let progress = false;
      for (const entry of entries) {
        if (!entry.name.startsWith(VOLUME_PREFIX)) continue;
        if (await this.#trashRemove(pool, entry.id, signal)) {
          purged += 1;
          progress = true;
        }
      }
      if (!progress) break;
    }
    return purged;
  }

  /** `rbd trash rm`; false when the entry is pinned by clones, gone, or not in the trash. */
  async #trashRemove(pool: string, imageId: string, signal: AbortSignal): Promise<boolean> {
    let result = await this.#cli.rbd(['trash', 'rm', '--no-progress', `${pool}/${imageId}`], signal);
    if (result.exitCode === Errno.ENOTEMPTY && (await this.#dropOrphanSnapshots(pool, imageId, signal))) {
      result = await this.#cli.rbd(['trash', 'rm', '--no-progress', `${pool}/${imageId}`], signal);
    }
    if (result.exitCode === 0) {
      this.#logger.debug({ pool, imageId }, 'purged trashed volume image');
      return true;
    }
    // ENOENT: not in the trash (live, or purged by another node); ENOTEMPTY: clones remain.
    if (result.exitCode !== Errno.ENOENT && result.exitCode !== Errno.ENOTEMPTY) {
      this.#logger.warn({ pool, imageId, exitCode: result.exitCode }, 'could not purge trashed volume image; the next sweep retries');
    }
    return false;
  }

  /**
   * Removes snapshots of a trashed volume image that nothing needs: `clone-*` snapshots of
   * clones that lost a race with the delete (taken after the delete listed snapshots; the
   * clone then failed because the image had moved to the trash), and trash-namespace
   * snapshots whose clones are gone. A snapshot that still has clones refuses (EBUSY) or,
   * for a user-namespace one, moves to the trash namespace; both keep the clone intact.
   *
   * @returns true when at least one snapshot was removed.
   */
  async #dropOrphanSnapshots(pool: string, imageId: string, signal: AbortSignal): Promise<boolean> {
    const ls = await this.#cli.rbd(['snap', 'ls', '--all', '--pool', pool, '--image-id', imageId, '--format', 'json'], signal);
    if (ls.exitCode !== 0) return false;
    let snaps: RbdSnapshotEntry[];
    try {
      snaps = (JSON.parse(ls.stdout.toString('utf8') || '[]') as RbdSnapshotEntry[] | null) ?? [];
    } catch {
      return false;
    }
    let removed = false;
    for (const snap of snaps) {
      const ns = snap.namespace?.type ?? 'user';
      if (ns !== 'trash' && !(ns === 'user' && snap.name.startsWith(CLONE_SNAPSHOT_PREFIX))) continue;
      const rm = await this.#cli.rbd(['snap', 'rm', '--pool', pool, '--image-id', imageId, '--snap-id', String(snap.id)], signal);
      if (rm.exitCode === 0) removed = true;
    }
    return removed;
  }

  /** `rbd info` by image id, which also works for an image in the trash. */
  async #infoById(ref: Pick<RbdParent, 'pool' | 'id'>, signal: AbortSignal): Promise<RbdImageInfo | undefined> {
    const result = await this.#cli.rbd(['info', '--pool', ref.pool, '--image-id', ref.id, '--format', 'json'], signal);
    if (result.exitCode !== 0) return undefined;
    try {
      return JSON.parse(result.stdout.toString('utf8')) as RbdImageInfo;
    } catch {
      return undefined;
    }
  }
}
