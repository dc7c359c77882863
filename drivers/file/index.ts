/**
 * The `file` reference driver: volumes as sparse files in a directory.
 */
import { definePlugin } from '../../core/contract/plugin.js';
import { FileDriver } from './file-driver.js';
import { fileManifest, type FileDriverConfig } from './manifest.js';

export { FileDriver } from './file-driver.js';
export { fileManifest, type FileDriverConfig } from './manifest.js';

/** The plugin the loader finds, exactly like a vendor plugin's default export. */
export default definePlugin<(typeof fileManifest.capabilities)[number], FileDriverConfig>({
  manifest: fileManifest,
  create: (context) => new FileDriver(context),
});
