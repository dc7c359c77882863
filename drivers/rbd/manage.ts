import type * as C from '../../core/contract/index.js';
import { AshlarError, hasErrorCode } from '../../core/errors/ashlar-error.js';
import type { CephCli } from './ceph-cli.js';
import { Errno, mapFailure } from './errno.js';
import { UNMANAGED_PREFIX, isManageableName, manageSourceName, spec, volumeIdOfImage, volumeImage } from './names.js';
import type { RbdImageInfo, RbdListEntry } from './rbd-json.js';

const GiB = 1024 ** 3;

/**
 * Manage/unmanage for RBD: adopting an image is a rename to `volume-<id>` (plus growing it
 * to whole GiB), letting go is a rename to `unmanaged-<id>`. Data never moves.
 */
export class RbdManager {
  readonly #cli: CephCli;
  readonly #pool: string;

  constructor(cli: CephCli, pool: string) {
    this.#cli = cli;
    this.#pool = pool;
  }

  async getSize({ existingRef, signal }: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    const info = await this.#manageable(manageSourceName(existingRef), signal);
    return { sizeGiB: Math.max(1, Math.ceil(info.size / GiB)) };
  }

  async manage({ volume, existingRef, signal }: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    const source = manageSourceName(existingRef);
    const target = volumeImage(volume.id);
    const info = await this.#manageable(source, signal);
    const wanted = volume.sizeGiB * GiB;
    if (wanted < info.size) {
      throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `volume size ${volume.sizeGiB} GiB is smaller than image ${source} (${info.size} bytes)` } });
    }
    // Cinder sizes are whole GiB: grow the tail (it reads as zeros) before adopting it, so
    // a failure leaves the image unmanaged rather than managed at the wrong size.
    if (wanted > info.size) {
      await this.#cli.rbdOk(['resize', '--no-progress', '--size', `${volume.sizeGiB}G`, spec(this.#pool, source)], signal, { id: source, notFound: 'MANAGE_TARGET_NOT_FOUND' });
    }
    await this.#cli.rbdOk(['rename', spec(this.#pool, source), spec(this.#pool, target)], signal, {
      id: volume.id,
      exists: 'VOLUME_EXISTS',
      notFound: 'MANAGE_TARGET_NOT_FOUND',
    });
    return { providerLocation: spec(this.#pool, target) };
  }

  async unmanage({ volume, signal }: C.UnmanageArgs): Promise<C.UnmanageResult> {
    const image = volumeImage(volume.id);
    let target = `${UNMANAGED_PREFIX}${volume.id}`;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await this.#cli.rbd(['rename', spec(this.#pool, image), spec(this.#pool, target)], signal);
      if (result.exitCode === 0 || result.exitCode === Errno.ENOENT) return {};
      if (result.exitCode !== Errno.EEXIST) throw mapFailure('rbd rename', result, { id: volume.id });
      // An earlier unmanage of the same id left that name; keep both.
      target = `${UNMANAGED_PREFIX}${volume.id}-${Date.now().toString(36)}${attempt}`;
    }
    throw new AshlarError('BACKEND_ERROR', { details: { reason: `no free unmanaged name for volume ${volume.id}` } });
  }

  async list({ marker, limit, signal }: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    const entries = (await this.#cli.rbdJson<RbdListEntry[] | null>(['ls', '-l', this.#pool], signal, { id: this.#pool })) ?? [];
    const images = entries.filter((e) => e.snapshot === undefined).sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
    const volumes: C.ManageableVolume[] = [];
    for (const entry of images) {
      if (marker !== undefined && entry.image <= marker) continue;
      const reference = { 'source-name': entry.image };
      const sizeGiB = Math.max(1, Math.ceil(entry.size / GiB));
      const id = volumeIdOfImage(entry.image);
      if (id !== undefined) {
        volumes.push({ reference, sizeGiB, safeToManage: false, reasonNotSafe: 'already managed', cinderId: id });
      } else if (!isManageableName(entry.image)) {
        volumes.push({ reference, sizeGiB, safeToManage: false, reasonNotSafe: 'image name has characters Ashlar does not pass to rbd' });
      } else {
        volumes.push({ reference, sizeGiB, safeToManage: true });
      }
      if (limit !== undefined && volumes.length >= limit) break;
    }
    return { volumes };
  }

  /** The image a reference names, if it exists and is not already a volume. */
  async #manageable(source: string, signal: AbortSignal): Promise<RbdImageInfo> {
    if (volumeIdOfImage(source) !== undefined) {
      throw new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: source, reason: 'it is already managed' } });
    }
    try {
      return await this.#cli.rbdJson<RbdImageInfo>(['info', spec(this.#pool, source)], signal, { id: source, notFound: 'MANAGE_TARGET_NOT_FOUND' });
    } catch (err) {
      if (hasErrorCode(err, 'MANAGE_TARGET_NOT_FOUND')) throw new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: source } });
      throw err;
    }
  }
}
