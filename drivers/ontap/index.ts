/**
 * The `ontap` reference driver: NetApp ONTAP 9 SAN (LUNs over iSCSI) through the REST API.
 */
import { definePlugin } from '../../core/contract/plugin.js';
import { ontapManifest, type OntapDriverCapabilities, type OntapDriverConfig } from './manifest.js';
import { OntapDriver } from './ontap-driver.js';
// The data path of the connection info this driver returns.
import '../../core/connectors/index.js';

export { OntapDriver } from './ontap-driver.js';
export { ontapManifest, type OntapDriverCapabilities, type OntapDriverConfig } from './manifest.js';
export { rolePrivileges } from './role.js';

/** The plugin the loader finds, exactly like a vendor plugin's default export. */
export default definePlugin<OntapDriverCapabilities, OntapDriverConfig>({
  manifest: ontapManifest,
  create: (context) => new OntapDriver(context),
});
