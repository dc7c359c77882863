/**
 * The `lvm` reference driver: volumes as LVM logical volumes, thick or thin.
 */
import { definePlugin } from '../../core/contract/plugin.js';
import { LvmDriver } from './lvm-driver.js';
import { lvmManifest, type LvmDriverCapabilities, type LvmDriverConfig } from './manifest.js';

export { LvmDriver } from './lvm-driver.js';
export { lvmManifest, type LvmDriverCapabilities, type LvmDriverConfig } from './manifest.js';

/** The plugin the loader finds, exactly like a vendor plugin's default export. */
export default definePlugin<LvmDriverCapabilities, LvmDriverConfig>({
  manifest: lvmManifest,
  create: (context) => new LvmDriver(context),
});
