import type * as C from '../../core/contract/index.js';
import { AshlarError } from '../../core/errors/ashlar-error.js';
import { mapOntapError } from './errors.js';
import { lunName, lunPath, splitLunPath, unmanagedName, volumeIdOf } from './names.js';
import type { LunInfo, SvmView } from './svm-view.js';

const GiB = 1024 ** 3;

/** The LUN an existing reference (`{"source-name": "/vol/<flexvol>/<lun>"}`) names, if manageable. */
async function referenced(view: SvmView, ref: C.ExistingReference, signal: AbortSignal): Promise<LunInfo> {
  const name = ref['source-name'];
  if (typeof name !== 'string') {
    throw new AshlarError('INVALID_ARGUMENT', { details: { reason: `reference must be {"source-name": "/vol/<flexvol>/<lun>"}, got ${JSON.stringify(ref)}` } });
  }
  const notHere = (): AshlarError => new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: name } });
  // Anything that is not a LUN path of a configured FlexVol names nothing on this backend.
  const parts = splitLunPath(name);
  if (parts === undefined || !/^[A-Za-z0-9_.-]{1,255}$/.test(parts.lun) || !view.flexvols.includes(parts.flexvol) || volumeIdOf(parts.lun) !== undefined) throw notHere();
  const [lun] = await view.findLuns([name], signal);
  if (lun === undefined) throw notHere();
  return lun;
}

/** Cinder's manage/unmanage for LUNs: adopting renames the LUN to the volume's name. */
export class LunManager {
  constructor(private readonly view: () => SvmView) {}

  async getSize({ existingRef, signal }: C.ManageExistingGetSizeArgs): Promise<C.ManageExistingGetSizeResult> {
    const lun = await referenced(this.view(), existingRef, signal);
    return { sizeGiB: Math.max(1, Math.ceil(lun.size / GiB)) };
  }

  async manage({ volume, existingRef, signal }: C.ManageExistingArgs): Promise<C.ManageExistingResult> {
    const view = this.view();
    const lun = await referenced(view, existingRef, signal);
    if ((await view.findLun(volume.id, signal)) !== undefined) throw new AshlarError('VOLUME_EXISTS', { details: { id: volume.id } });
    const target = lunPath(lun.flexvol, lunName(volume.id));
    const size = Math.max(lun.size, volume.sizeGiB * GiB);
    try {
      // Rename first: a crash after it leaves a managed LUN that is merely short of size,
      // which extend fixes, never an object managed twice.
      await view.client.send('PATCH', `/api/storage/luns/${lun.uuid}`, {}, { name: target }, signal);
      if (size > lun.size) await view.client.send('PATCH', `/api/storage/luns/${lun.uuid}`, {}, { space: { size } }, signal);
    } catch (err) {
      throw mapOntapError(err, `managing ${lun.path}`, () => new AshlarError('MANAGE_TARGET_NOT_FOUND', { details: { reference: lun.path } }));
    }
    return { providerLocation: target };
  }

  async unmanage({ volume, signal }: C.UnmanageArgs): Promise<C.UnmanageResult> {
    const view = this.view();
    const lun = await view.findLun(volume.id, signal);
    if (lun === undefined) return {};
    await view.client.send('PATCH', `/api/storage/luns/${lun.uuid}`, {}, { name: lunPath(lun.flexvol, unmanagedName(volume.id)) }, signal).catch((err: unknown) => {
      throw mapOntapError(err, `unmanaging ${lun.path}`, () => new AshlarError('VOLUME_NOT_FOUND', { details: { id: volume.id } }));
    });
    return {};
  }

  async list({ marker, limit, signal }: C.ListManageableVolumesArgs): Promise<C.ListManageableVolumesResult> {
    const luns = (await this.view().allLuns(signal)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const start = marker === undefined ? 0 : luns.findIndex((l) => l.path > marker);
    const page = (start < 0 ? [] : luns.slice(start)).slice(0, limit ?? luns.length);
    return {
      volumes: page.map((l) => {
        const id = volumeIdOf(l.lun);
        return {
          reference: { 'source-name': l.path },
          sizeGiB: Math.max(1, Math.ceil(l.size / GiB)),
          safeToManage: id === undefined,
          ...(id !== undefined ? { reasonNotSafe: 'already managed', cinderId: id } : {}),
        };
      }),
    };
  }
}
