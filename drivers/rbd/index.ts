/**
 * The `rbd` reference driver: volumes as Ceph RBD images.
 */
import { definePlugin } from '../../core/contract/plugin.js';
import { rbdManifest, type RbdDriverCapabilities, type RbdDriverConfig } from './manifest.js';
import { RbdDriver } from './rbd-driver.js';

export { RbdDriver } from './rbd-driver.js';
export { rbdManifest, type RbdDriverCapabilities, type RbdDriverConfig } from './manifest.js';

/** The plugin the loader finds, exactly like a vendor plugin's default export. */
export default definePlugin<RbdDriverCapabilities, RbdDriverConfig>({
  manifest: rbdManifest,
  create: (context) => new RbdDriver(context),
});
